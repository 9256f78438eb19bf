/**
 * Drops every CSS rule that mentions `lite-badge` (Typebot's branding badge), and at-rules that
 * end up empty. Used for the theme's custom CSS and for custom head code (§3.1, §7.7).
 */
export function withoutLiteBadgeRules(css: string, depth = 0): string {
  // CSS may hold variables, so users' text: at-rules nested deeper than real stylesheets stay as they are.
  if (depth >= MAX_AT_RULE_NESTING) return css
  let output = ''
  let index = 0
  while (index < css.length) {
    const open = css.indexOf('{', index)
    if (open === -1) return output + css.slice(index)
    const close = findMatchingBrace(css, open)
    const prelude = css.slice(index, open)
    const body = css.slice(open + 1, close)
    if (prelude.trim().startsWith('@') && body.includes('{')) {
      const inner = withoutLiteBadgeRules(body, depth + 1)
      if (inner.trim() !== '') output += `${prelude}{${inner}}`
    } else if (!prelude.includes('lite-badge') && !body.includes('lite-badge')) {
      output += `${prelude}{${body}}`
    }
    index = close + 1
  }
  return output
}

const MAX_AT_RULE_NESTING = 8

function findMatchingBrace(css: string, open: number): number {
  let depth = 0
  for (let index = open; index < css.length; index++) {
    if (css[index] === '{') depth++
    else if (css[index] === '}' && --depth === 0) return index
  }
  return css.length
}
