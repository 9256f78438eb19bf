/** Server-rendered HTML: every dynamic value goes through `escapeHtml`, in text and in attributes. */

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character)
}

export type DocumentParts = {
  title: string
  description?: string
  /** The stylesheet URL (versioned). */
  styleUrl: string
  scriptUrl?: string
  faviconUrl?: string
  isIndexable?: boolean
  /** Already-escaped markup of the body. */
  body: string
}

export function renderDocument(parts: DocumentParts): string {
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">',
    `<title>${escapeHtml(parts.title)}</title>`,
    parts.description ? `<meta name="description" content="${escapeHtml(parts.description)}">` : '',
    parts.isIndexable === false ? '<meta name="robots" content="noindex">' : '',
    // An explicit icon: browsers otherwise ask /favicon.ico, which is a public id path here.
    `<link rel="icon" href="${escapeHtml(parts.faviconUrl ?? 'data:,')}">`,
    `<link rel="stylesheet" href="${escapeHtml(parts.styleUrl)}">`,
    parts.scriptUrl ? `<script src="${escapeHtml(parts.scriptUrl)}" defer></script>` : '',
  ].filter(Boolean)
  return `<!doctype html>
<html lang="en">
<head>
${head.join('\n')}
</head>
<body>
${parts.body}
</body>
</html>
`
}
