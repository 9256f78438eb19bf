/** Names the web routes and common crawlers use at the root: a typebot page there would shadow or be shadowed. */
const reservedPublicIds = new Set(['api', '_botflow', 'favicon.ico', 'robots.txt', 'sitemap.xml', 'apple-touch-icon.png'])

/**
 * Why a public id cannot be set, or undefined. Public ids become the first path segment of the
 * chat page (`/{publicId}`), so they hold letters, digits, "-" and "." only, are not a reserved
 * name, and do not start with "." (`.`, `..` and `.well-known` are not pages).
 */
export function findPublicIdProblem(publicId: string): string | undefined {
  if (!/^[a-zA-Z0-9-.]+$/.test(publicId)) return 'A public id may only hold letters, digits, "-" and "."'
  if (publicId.startsWith('.')) return 'A public id may not start with "."'
  if (reservedPublicIds.has(publicId.toLowerCase())) return `The public id "${publicId}" is reserved`
  return undefined
}
