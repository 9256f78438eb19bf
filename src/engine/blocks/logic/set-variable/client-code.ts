/** Code the client runs for the set-variable types that only a browser can answer (§4.11.9). */
export const deviceTypeCode = [
  'const userAgent = navigator.userAgent',
  "const hasTouch = 'ontouchstart' in window || navigator.maxTouchPoints > 0",
  'const width = window.innerWidth',
  "if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/i.test(userAgent) || (hasTouch && width >= 768 && width <= 1024)) return 'tablet'",
  "if (/Mobi|iPhone|iPod|Android.*Mobile|BlackBerry|IEMobile|Opera Mini/i.test(userAgent) || (hasTouch && width < 768)) return 'mobile'",
  "return 'desktop'",
].join('\n')

export const momentOfTheDayCode = [
  'const hour = new Date().getHours()',
  "if (hour < 12) return 'morning'",
  "if (hour < 18) return 'afternoon'",
  "return 'evening'",
].join('\n')
