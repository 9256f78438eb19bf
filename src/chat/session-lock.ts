/**
 * Serialises work on one session inside this process, so racing replies wait their turn instead
 * of failing. Across processes the row version check in `Store.commitTurn` does the same job.
 */
export class SessionLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(sessionId) ?? Promise.resolve()
    const current = previous.then(task, task)
    const tail = current.catch(() => undefined)
    this.tails.set(sessionId, tail)
    try {
      return await current
    } finally {
      if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId)
    }
  }
}
