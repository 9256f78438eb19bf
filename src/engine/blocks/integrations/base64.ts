/** Base64 of the UTF-8 bytes of `text` (the engine cannot use node's Buffer). */
export function encodeBase64(text: string): string {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}
