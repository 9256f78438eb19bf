/**
 * The lines `botflow serve` prints once listening. `baseUrl` is the listening address; a
 * wildcard host (0.0.0.0, ::) is shown as localhost, the address a newcomer can open.
 */
export function startupBanner(baseUrl: string, options: { isDemoAvailable?: boolean; secretKey?: string } = {}): string {
  const url = toBrowsableUrl(baseUrl)
  const lines = [`botflow is ready on ${url}`]
  if (options.isDemoAvailable ?? true) lines.push(`  Demo chat:      ${url}/demo`)
  lines.push(`  API reference:  ${url}/api/docs`)
  lines.push('  API token:      npx botflow token create --email you@example.com')
  if (options.secretKey) lines.push(`  Secret key:     ${options.secretKey}`)
  return `${lines.join('\n')}\n`
}

function toBrowsableUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl)
    if (['0.0.0.0', '[::]', '127.0.0.1', '[::1]'].includes(url.hostname)) url.hostname = 'localhost'
    return url.origin
  } catch {
    return baseUrl.replace(/\/+$/, '')
  }
}
