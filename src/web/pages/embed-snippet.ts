/** The one line a site owner pastes to get the chat bubble (served by `GET /{publicId}/embed.js`). */
export function toEmbedSnippet(baseUrl: string, publicId: string): string {
  return `<script src="${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(publicId)}/embed.js" async></script>`
}
