import { z } from 'zod'
import { AppError } from '../errors.js'
import { newId } from '../ids.js'
import type { Store, UserRecord } from '../storage/store.js'

const emailSchema = z.email()

/** The user with this email, created (without a name) when there is none. */
export async function findOrCreateUser(store: Store, email: string): Promise<UserRecord> {
  const normalized = email.trim().toLowerCase()
  if (!emailSchema.safeParse(normalized).success) throw new AppError('INVALID_REQUEST', `Invalid email: ${email}`)
  const existing = await store.findUserByEmail(normalized)
  if (existing) return existing
  try {
    return await store.createUser({ id: newId(), email: normalized, name: null })
  } catch (error) {
    // Another request created the same user in the meantime: use theirs.
    const created = await store.findUserByEmail(normalized)
    if (created) return created
    throw error
  }
}
