/**
 * The size of what a turn produces (messages, input, client actions, logs), in characters of its
 * JSON text, computed without building that text: a turn that shows a 9 MB answer pays a walk,
 * not a copy.
 */
export function measureChars(value: unknown): number {
  let total = 0
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const item = pending.pop()
    if (typeof item === 'string') total += item.length + 2
    else if (typeof item === 'number' || typeof item === 'boolean') total += 8
    else if (Array.isArray(item)) {
      total += item.length + 2
      for (const element of item) pending.push(element)
    } else if (typeof item === 'object' && item !== null) {
      for (const [key, property] of Object.entries(item)) {
        total += key.length + 4
        pending.push(property)
      }
    }
  }
  return total
}
