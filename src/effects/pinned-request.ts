import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { ResolvedAddress } from './ssrf-guard.js'

/**
 * Opens a request that connects only to `addresses`, the ones the SSRF guard validated for this
 * URL: the socket never asks DNS again, so a name cannot resolve elsewhere between check and connect.
 */
export function openPinnedRequest(
  url: URL,
  addresses: ResolvedAddress[],
  options: { method: string; headers: Record<string, string>; signal?: AbortSignal },
): http.ClientRequest {
  const transport = url.protocol === 'https:' ? https : http
  // No pooling: a pooled socket could outlive the address check it was opened under.
  return transport.request(url, { ...options, agent: false, lookup: pinnedLookup(addresses) })
}

function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostName, lookupOptions, callback) => {
    const wanted =
      lookupOptions.family === 4 || lookupOptions.family === 6 ? addresses.filter((a) => a.family === lookupOptions.family) : addresses
    const candidates = wanted.length > 0 ? wanted : addresses
    const first = candidates[0]
    if (lookupOptions.all) callback(null, candidates)
    else if (first) callback(null, first.address, first.family)
    else callback(new Error('No validated address'), '', 4)
  }
}
