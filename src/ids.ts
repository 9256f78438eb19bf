import { randomBytes } from 'node:crypto'

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A cuid-shaped id (25 lowercase alphanumerics starting with "c"), as Typebot clients expect. */
export function newId(): string {
  const bytes = randomBytes(24)
  let id = 'c'
  for (const byte of bytes) id += alphabet[byte % 36]
  return id
}
