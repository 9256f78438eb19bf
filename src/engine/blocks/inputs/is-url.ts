/**
 * URL syntax check with validator.js `isURL` semantics (what Typebot uses for URL and file
 * inputs): http/https or no protocol, a host that is an IP or a domain with a top-level domain,
 * optional port, credentials, path, query and fragment.
 */
import ipaddr from 'ipaddr.js'

const maxUrlLength = 2083
const bracketedIpv6Pattern = /^\[([^\]]+)\](?::([0-9]+))?$/
const ipv4Pattern = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
const topLevelDomainPattern = /^([a-z\u00A1-\u00A8\u00AA-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]{2,}|xn[a-z0-9-]{2,})$/i
const domainLabelPattern = /^[a-z\u00a1-\uffff0-9-]+$/i
const fullWidthPattern = /[\uff01-\uff5e]/

/** `hostsWithoutTld`: hosts accepted without a top-level domain (e.g. `localhost` for uploads). */
export function isUrl(text: string, options: { hostsWithoutTld?: readonly string[] } = {}): boolean {
  if (!text || /[\s<>]/.test(text) || text.length > maxUrlLength) return false
  if (text.toLowerCase().startsWith('mailto:')) return false
  let rest = text.split('#')[0]!.split('?')[0]!
  const protocolSplit = rest.split('://')
  if (protocolSplit.length > 1) {
    const protocol = protocolSplit.shift()?.toLowerCase()
    if (protocol !== 'http' && protocol !== 'https') return false
    rest = protocolSplit.join('://')
  } else if (rest.startsWith('//')) {
    return false
  }
  if (rest === '') return false
  const authority = rest.split('/')[0]!
  if (authority === '') return false
  const hostAndPort = stripCredentials(authority)
  if (hostAndPort === undefined) return false
  return isValidHostAndPort(hostAndPort, options.hostsWithoutTld ?? [])
}

function stripCredentials(authority: string): string | undefined {
  const parts = authority.split('@')
  if (parts.length === 1) return authority
  const credentials = parts.shift() ?? ''
  if (credentials === '' || credentials.split(':').length > 2) return undefined
  const [user, password] = credentials.split(':')
  if (user === '' && password === '') return undefined
  return parts.join('@')
}

function isValidHostAndPort(hostAndPort: string, hostsWithoutTld: readonly string[]): boolean {
  const ipv6 = bracketedIpv6Pattern.exec(hostAndPort)
  if (ipv6) return isValidPort(ipv6[2]) && ipaddr.IPv6.isValid(ipv6[1]!)
  const [host = '', ...portParts] = hostAndPort.split(':')
  if (portParts.length > 0 && !isValidPort(portParts.join(':'))) return false
  if (ipv4Pattern.test(host)) return true
  return isDomainName(host, !hostsWithoutTld.includes(host.toLowerCase()))
}

function isValidPort(port: string | undefined): boolean {
  if (port === undefined || port === '') return true
  if (!/^[0-9]+$/.test(port)) return false
  const value = Number.parseInt(port, 10)
  return value > 0 && value <= 65535
}

function isDomainName(host: string, isTldRequired: boolean): boolean {
  const labels = host.split('.')
  const topLevel = labels.at(-1) ?? ''
  if (isTldRequired && (labels.length < 2 || !topLevelDomainPattern.test(topLevel))) return false
  if (/^\d+$/.test(topLevel)) return false
  return labels.every(
    (label) =>
      label.length <= 63 &&
      domainLabelPattern.test(label) &&
      !fullWidthPattern.test(label) &&
      !label.startsWith('-') &&
      !label.endsWith('-'),
  )
}
