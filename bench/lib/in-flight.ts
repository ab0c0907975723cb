/**
 * @module Calls issued in order with at most `width` in flight: how a busy service's concurrent
 * requests reach a store. lmdb-js commits the transactions queued meanwhile together, so a
 * durable store is written at its batch rate instead of one flush per record.
 */
export class InFlight {
  readonly #width: number
  #pending: Promise<unknown>[] = []

  constructor(width: number) {
    this.#width = Math.max(1, width)
  }

  /** Adds a started call; waits for the ones in flight once `width` are. */
  async add(call: Promise<unknown>): Promise<void> {
    this.#pending.push(call)
    if (this.#pending.length >= this.#width) await this.drain()
  }

  async drain(): Promise<void> {
    const pending = this.#pending
    this.#pending = []
    await Promise.all(pending)
  }
}
