type Queued<Item, Outcome> = { item: Item; resolve(outcome: Outcome): void; reject(error: unknown): void }

export type PostgresBatcherOptions<Item> = {
  /** Batches of one kind on the wire at once; more calls wait and join the next batch. */
  maxInFlight: number
  maxItems: number
  /** Items with the same key never share a batch (a statement's outcome is told apart by it): later ones wait for the next. */
  keyOf(item: Item): string
}

/**
 * Group statements for PostgreSQL: calls that arrive while a batch is on the wire travel together in
 * the next one, one statement for all of them. On two cores a round trip costs far more than the rows
 * it writes (waking a PostgreSQL backend, switching to it and back, one WAL flush per commit); a batch
 * pays that once. `runBatch` answers one outcome per item, in order. A batch that fails as a whole
 * (one bad row rolls the statement back) runs again item by item, so each caller gets its own outcome.
 */
export class PostgresBatcher<Item, Outcome> {
  private queue: Queued<Item, Outcome>[] = []
  private inFlight = 0
  private isScheduled = false

  constructor(
    private readonly runBatch: (items: Item[]) => Promise<Outcome[]>,
    private readonly options: PostgresBatcherOptions<Item>,
  ) {}

  submit(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ item, resolve, reject })
      this.schedule()
    })
  }

  private schedule() {
    if (this.isScheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return
    this.isScheduled = true
    // setImmediate lets the requests already in flight on the event loop reach submit() and join.
    setImmediate(() => {
      this.isScheduled = false
      this.flush()
    })
  }

  private flush() {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch()
      this.inFlight++
      void this.run(batch).finally(() => {
        this.inFlight--
        this.schedule()
      })
    }
  }

  private takeBatch(): Queued<Item, Outcome>[] {
    const keys = new Set<string>()
    const batch: Queued<Item, Outcome>[] = []
    const waiting: Queued<Item, Outcome>[] = []
    for (const queued of this.queue) {
      const key = this.options.keyOf(queued.item)
      if (batch.length >= this.options.maxItems || keys.has(key)) waiting.push(queued)
      else {
        keys.add(key)
        batch.push(queued)
      }
    }
    this.queue = waiting
    return batch
  }

  private async run(batch: Queued<Item, Outcome>[]): Promise<void> {
    try {
      const outcomes = await this.runBatch(batch.map((queued) => queued.item))
      batch.forEach((queued, index) => queued.resolve(outcomes[index] as Outcome))
    } catch (error) {
      if (batch.length === 1) return batch[0]?.reject(error)
      await Promise.all(
        batch.map(async (queued) => {
          try {
            const [outcome] = await this.runBatch([queued.item])
            queued.resolve(outcome as Outcome)
          } catch (single) {
            queued.reject(single)
          }
        }),
      )
    }
  }
}
