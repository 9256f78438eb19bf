/**
 * MIME types and their file extensions, for the allowed-types check of file inputs
 * (§6.2.12). The first extension is the usual one; the others are aliases (`jpg` for `jpeg`).
 */
const extensionsByMimeType: Record<string, readonly string[]> = {
  'image/jpeg': ['jpeg', 'jpg', 'jpe'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/avif': ['avif'],
  'image/heic': ['heic'],
  'image/heif': ['heif'],
  'image/bmp': ['bmp'],
  'image/svg+xml': ['svg', 'svgz'],
  'image/tiff': ['tiff', 'tif'],
  'image/x-icon': ['ico'],
  'audio/mpeg': ['mp3', 'mpga', 'mp2', 'm2a', 'm3a'],
  'audio/mp4': ['m4a', 'mp4a'],
  'audio/wav': ['wav'],
  'audio/ogg': ['oga', 'ogg', 'spx', 'opus'],
  // Browsers record voice as audio/webm in .webm files (MediaRecorder).
  'audio/webm': ['weba', 'webm'],
  'audio/aac': ['aac'],
  'audio/flac': ['flac'],
  'audio/midi': ['mid', 'midi', 'kar', 'rmi'],
  'video/mp4': ['mp4', 'mp4v', 'mpg4'],
  'video/mpeg': ['mpeg', 'mpg', 'mpe', 'm1v', 'm2v'],
  'video/quicktime': ['mov', 'qt'],
  'video/webm': ['webm'],
  'video/ogg': ['ogv'],
  'video/x-msvideo': ['avi'],
  'video/x-matroska': ['mkv'],
  'video/3gpp': ['3gp', '3gpp'],
  'text/plain': ['txt', 'text', 'conf', 'def', 'list', 'log', 'in', 'ini'],
  'text/csv': ['csv'],
  'text/html': ['html', 'htm', 'shtml'],
  'text/css': ['css'],
  'text/markdown': ['md', 'markdown'],
  'text/calendar': ['ics', 'ifb'],
  'text/vcard': ['vcard', 'vcf'],
  'text/xml': ['xml'],
  'application/json': ['json', 'map'],
  'application/xml': ['xml', 'xsl', 'xsd', 'rng'],
  'application/pdf': ['pdf'],
  'application/rtf': ['rtf'],
  'application/zip': ['zip'],
  'application/gzip': ['gz'],
  'application/x-tar': ['tar'],
  'application/x-7z-compressed': ['7z'],
  'application/vnd.rar': ['rar'],
  'application/msword': ['doc', 'dot'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls', 'xlm', 'xla', 'xlc', 'xlt', 'xlw'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.ms-powerpoint': ['ppt', 'pps', 'pot'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'application/vnd.oasis.opendocument.presentation': ['odp'],
  'application/epub+zip': ['epub'],
  'application/octet-stream': ['bin', 'exe', 'dll', 'dmg', 'iso', 'img'],
  'font/ttf': ['ttf'],
  'font/otf': ['otf'],
  'font/woff': ['woff'],
  'font/woff2': ['woff2'],
}

/**
 * The extensions accepted by an allowed-types list: entries are MIME types (`image/png`),
 * wildcards (`image/*`) or extensions (`.jpg`); an extension also admits its aliases.
 */
export function allowedExtensionsOf(types: readonly string[]): Set<string> {
  const allowed = new Set<string>()
  for (const entry of types.map((type) => type.trim().toLowerCase()).filter(Boolean)) {
    if (entry.endsWith('/*')) {
      const topLevel = entry.slice(0, -1)
      for (const [mimeType, extensions] of Object.entries(extensionsByMimeType)) {
        if (mimeType.startsWith(topLevel)) extensions.forEach((extension) => allowed.add(extension))
      }
    } else if (entry.includes('/')) {
      extensionsByMimeType[entry]?.forEach((extension) => allowed.add(extension))
    } else {
      const extension = entry.replace(/^\./, '')
      allowed.add(extension)
      for (const extensions of Object.values(extensionsByMimeType)) {
        if (extensions.includes(extension)) extensions.forEach((alias) => allowed.add(alias))
      }
    }
  }
  return allowed
}

/**
 * The MIME types an allowed-types list admits (`image/png`, `image/*`, `.jpg`), for checking the
 * type a client declares before it uploads. Unknown MIME types are admitted only by name.
 */
export function isMimeTypeAllowed(mimeType: string, types: readonly string[]): boolean {
  const entries = types.map((type) => type.trim().toLowerCase()).filter(Boolean)
  const topLevel = mimeType.split('/')[0]
  const extensions = extensionsByMimeType[mimeType] ?? []
  return entries.some((entry) => {
    if (entry.endsWith('/*')) return entry.slice(0, -2) === topLevel
    if (entry.includes('/')) return entry === mimeType
    const allowed = allowedExtensionsOf([entry])
    return extensions.some((extension) => allowed.has(extension))
  })
}

/** The usual extensions of a MIME type (first = the usual one); empty when unknown. */
export function extensionsOfMimeType(mimeType: string): readonly string[] {
  return extensionsByMimeType[mimeType] ?? []
}
