/**
 * Server-side request forgery checks for outgoing HTTP (docs/runtime.md §7.1.4). A target is
 * accepted only when its URL, its host name and EVERY address the name resolves to are public;
 * the caller then connects to those exact addresses, so a second DNS answer cannot swap them.
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

export type ResolvedAddress = { address: string; family: 4 | 6 }

export type TargetCheck =
  | { status: 'allowed'; url: URL; addresses: ResolvedAddress[] }
  | { status: 'refused'; reason: string }
  /** The name could not be resolved: a network failure, not a security refusal. */
  | { status: 'unresolved'; error: Error }

export type HostResolver = (hostName: string) => Promise<{ address: string; family: number }[]>

export type SsrfPolicy = {
  /** Lets requests reach loopback/private addresses: development and tests only. */
  allowPrivateTargets: boolean
  /** Origins (`http://10.0.0.5:8080`) trusted like private targets are in development. */
  allowedOrigins?: readonly string[]
  /** DNS resolution; the system resolver unless replaced (tests). */
  resolveHost?: HostResolver
}

const resolveWithSystem: HostResolver = (hostName) => dnsLookup(hostName, { all: true, verbatim: true })

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parse('2000::')

/** Cloud metadata endpoints: refused even when private targets are allowed. */
const METADATA_HOST_NAMES = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
])

/**
 * Cloud metadata and credential addresses: AWS/GCP/Azure/OpenStack/DigitalOcean (169.254.169.254,
 * AWS also over IPv6), AWS ECS task and EKS pod identity credentials, Alibaba, Oracle. Refused
 * whatever `ALLOW_PRIVATE_HTTP_TARGETS` or the trusted origins say: they hand out the machine's
 * credentials to whoever asks.
 */
const METADATA_ADDRESSES = new Set(
  ['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200', '192.0.0.192', 'fd00:ec2::254', 'fd00:ec2::23'].map((address) =>
    ipaddr.parse(address).toNormalizedString(),
  ),
)

/** IPv6 prefix of NAT64 (RFC 6052): its last 32 bits are an IPv4 address the gateway connects to. */
const NAT64_PREFIX = ipaddr.IPv6.parse('64:ff9b::')

/** Checks the URL and its host, then resolves and checks every address of the host. */
export async function checkTarget(rawUrl: string, policy: SsrfPolicy): Promise<TargetCheck> {
  const urlCheck = checkUrl(rawUrl, policy)
  if (urlCheck.status === 'refused') return urlCheck
  const { url, hostName, isTrusted } = urlCheck

  if (isIP(hostName)) {
    const reason = findMetadataProblem(hostName) ?? (isTrusted ? undefined : findAddressProblem(hostName))
    if (reason) return { status: 'refused', reason }
    return { status: 'allowed', url, addresses: [{ address: hostName, family: isIP(hostName) === 6 ? 6 : 4 }] }
  }

  let resolved: { address: string; family: number }[]
  try {
    resolved = await (policy.resolveHost ?? resolveWithSystem)(hostName)
  } catch (error) {
    return { status: 'unresolved', error: error instanceof Error ? error : new Error(String(error)) }
  }
  if (resolved.length === 0) return { status: 'unresolved', error: new Error(`No address found for ${hostName}`) }
  for (const { address } of resolved) {
    const reason = findMetadataProblem(address) ?? (isTrusted ? undefined : findAddressProblem(address))
    if (reason) return { status: 'refused', reason: `${hostName} resolves to a blocked address (${reason})` }
  }
  return {
    status: 'allowed',
    url,
    addresses: resolved.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 })),
  }
}

/** Header names that cloud metadata services require; never forwarded (§7.1.4). */
export function findBlockedHeader(headers: Record<string, string>): string | undefined {
  return Object.keys(headers).find((name) => name.toLowerCase().includes('metadata'))
}

type UrlCheck = { status: 'ok'; url: URL; hostName: string; isTrusted: boolean } | { status: 'refused'; reason: string }

function checkUrl(rawUrl: string, policy: SsrfPolicy): UrlCheck {
  if (rawUrl.trim() === '') return { status: 'refused', reason: 'URL is required' }
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { status: 'refused', reason: 'Invalid URL format' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { status: 'refused', reason: `Protocol ${url.protocol} is not allowed, only http: and https:` }
  }
  const hostName = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
  if (METADATA_HOST_NAMES.has(hostName)) return { status: 'refused', reason: `Host ${hostName} is blocked` }
  if (policy.allowPrivateTargets || policy.allowedOrigins?.includes(url.origin)) return { status: 'ok', url, hostName, isTrusted: true }

  if (hostName === 'localhost' || hostName.endsWith('.localhost')) {
    return { status: 'refused', reason: `Host ${hostName} is blocked` }
  }
  // The URL parser already turns `0x7f000001` or `2130706433` into dotted form; looking at the
  // host as written refuses such disguises even when they decode to a public address.
  const writtenHost = readWrittenHost(rawUrl)
  if (writtenHost !== undefined && looksLikeEncodedIp(writtenHost)) {
    return { status: 'refused', reason: `Encoded IP address ${writtenHost} is not allowed` }
  }
  return { status: 'ok', url, hostName, isTrusted: false }
}

function readWrittenHost(rawUrl: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/*(?:[^@/?#\\]*@)?(\[[^\]]*\]|[^:/?#\\]*)/i.exec(rawUrl.trim())
  return match?.[1]?.toLowerCase()
}

function looksLikeEncodedIp(host: string): boolean {
  if (/^\d{8,10}$/.test(host)) return true
  if (/^0x[0-9a-f]+$/.test(host)) return true
  const parts = host.split('.')
  const isNumeric = parts.every((part) => /^(0x[0-9a-f]*|\d+)$/.test(part))
  // Octal (`0177.0.0.1`), hex (`0x7f.1`) or shortened (`127.1`) dotted forms.
  return isNumeric && (parts.length < 4 || parts.some((part) => /^0[0-9x]/.test(part)))
}

/** A cloud metadata address, also written as IPv4-mapped IPv6 or behind the NAT64 prefix. */
export function findMetadataProblem(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6
  try {
    parsed = ipaddr.process(address)
  } catch {
    return undefined
  }
  const candidates = [parsed]
  if (parsed instanceof ipaddr.IPv6 && parsed.match(NAT64_PREFIX, 96)) {
    candidates.push(ipaddr.fromByteArray(parsed.toByteArray().slice(12)))
  }
  const metadata = candidates.find((candidate) => METADATA_ADDRESSES.has(candidate.toNormalizedString()))
  return metadata ? `cloud metadata address ${metadata.toString()} is not allowed` : undefined
}

/**
 * Only globally routable unicast addresses pass. IPv4-mapped IPv6 is judged as the IPv4 it
 * carries; IPv6 outside 2000::/3 (which holds every public unicast address) is refused, which
 * also covers the deprecated IPv4-compatible `::a.b.c.d` form.
 */
export function findAddressProblem(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6
  try {
    parsed = ipaddr.process(address)
  } catch {
    return `address ${address} is not a valid IP address`
  }
  const range = parsed.range()
  if (range !== 'unicast') return `${range} address ${parsed.toString()} is not allowed`
  if (parsed instanceof ipaddr.IPv6 && !parsed.match(GLOBAL_UNICAST_V6, 3)) {
    return `address ${parsed.toString()} is not a public IPv6 address`
  }
  return undefined
}
