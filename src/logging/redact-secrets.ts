/**
 * Secrets that can end up inside a logged string (an error message quoting a header, a driver
 * error quoting its connection string). Object fields are redacted by path (log-options.ts);
 * these patterns catch the same secrets inside text.
 */
const secretPatterns: [RegExp, string][] = [
  // botflow API tokens, wherever they appear.
  [/\bbf_[A-Za-z0-9_-]{16,}/g, 'bf_[redacted]'],
  // Any bearer credential.
  [/\b(bearer\s+)[^\s"',;]+/gi, '$1[redacted]'],
  // Provider keys in the common `sk-...` shape (OpenAI, Anthropic and compatible APIs).
  [/\bsk-[A-Za-z0-9_-]{16,}/g, 'sk-[redacted]'],
  // user:password@ in any URL.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[redacted]@'],
]

export function scrubSecrets(text: string): string {
  let scrubbed = text
  for (const [pattern, replacement] of secretPatterns) scrubbed = scrubbed.replace(pattern, replacement)
  return scrubbed
}

/** A connection URL fit for a log line or the start-up banner: the password replaced. */
export function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.password) return url
    parsed.password = '***'
    return parsed.toString()
  } catch {
    return scrubSecrets(url)
  }
}
