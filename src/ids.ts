import { randomFillSync } from 'node:crypto'

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'
const idLength = 24

// Drawing 24 random bytes per id costs a system call each time; draw them in batches instead.
const pool = Buffer.alloc(idLength * 256)
let offset = pool.length

/** A cuid-shaped id (25 lowercase alphanumerics starting with "c"), as Typebot clients expect. */
export function newId(): string {
  if (offset + idLength > pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  let id = 'c'
  for (let index = 0; index < idLength; index++) id += alphabet[(pool[offset + index] ?? 0) % 36]
  offset += idLength
  return id
}
