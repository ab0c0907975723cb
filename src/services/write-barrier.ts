/**
 * @module The writes in flight, by when they began: an index snapshot is marked with the record
 * store's last change at a moment T, and may be taken only once every write that began before T
 * has settled, so that each change up to the mark has reached the indexes (a write's change
 * commits before the write's index task runs, and the write settles after that task).
 */
export class WriteBarrier {
  /** Writes begun in each epoch that have not settled yet; an epoch ends at each {@link passed}. */
  readonly #pending = new Map<number, number>()
  readonly #waiters: { epoch: number; resolve: () => void }[] = []
  #epoch = 0

  /** Runs `write`, counted as in flight until it settles (fulfilled or rejected). */
  async track<T>(write: () => Promise<T>): Promise<T> {
    const epoch = this.#epoch
    this.#pending.set(epoch, (this.#pending.get(epoch) ?? 0) + 1)
    try {
      return await write()
    } finally {
      const left = (this.#pending.get(epoch) as number) - 1
      if (left > 0) this.#pending.set(epoch, left)
      else {
        this.#pending.delete(epoch)
        this.#wake()
      }
    }
  }

  /** Resolves once every write begun before this call has settled; writes begun after are not waited for. */
  passed(): Promise<void> {
    const epoch = this.#epoch++
    return new Promise((resolve) => {
      this.#waiters.push({ epoch, resolve })
      this.#wake()
    })
  }

  #wake(): void {
    const oldest = Math.min(...this.#pending.keys())
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as { epoch: number; resolve: () => void }
      if (waiter.epoch < oldest) {
        this.#waiters.splice(i, 1)
        waiter.resolve()
      }
    }
  }
}
