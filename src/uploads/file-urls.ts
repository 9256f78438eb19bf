/** botflow's URLs for uploads: where a client sends a file, and where the file is read. */

export function uploadUrlOf(baseUrl: string, token: string): string {
  return `${trimSlash(baseUrl)}/api/v1/uploads/${token}`
}

/** The URL answered to a file input: one shape for both storages. */
export function fileUrlOf(baseUrl: string, uploadId: string, fileName: string): string {
  return `${trimSlash(baseUrl)}/api/v1/files/${uploadId}/${encodeURIComponent(fileName)}`
}

/**
 * The upload id of a botflow file URL, whatever its origin (the server may be reached under
 * several names); undefined for any other URL.
 */
export function parseFileUrl(url: string): { uploadId: string; fileName: string } | undefined {
  let parsed: URL
  try {
    parsed = new URL(url.trim())
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined
  const match = /^\/api\/v1\/files\/([a-z0-9]{10,40})\/([^/]+)$/.exec(parsed.pathname)
  if (!match?.[1] || !match[2]) return undefined
  try {
    return { uploadId: match[1], fileName: decodeURIComponent(match[2]) }
  } catch {
    return undefined
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '')
}
