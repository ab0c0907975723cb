/**
 * @module Which completed writes a search index may not show yet, so that `settle()` can wait
 * for exactly those (the contract's hook for eventually consistent backends) instead of sleeping.
 *
 * Every `index()` call stamps its rows with a fresh write token (`_write`); the write is visible
 * once a search for that token counts every row that still carries it. A removal is visible once
 * a search for the removed ids finds none. Only the latest write per id counts. The record is
 * bounded: past {@link MAX_PENDING} ids per table the oldest are forgotten (a process that never
 * settles, such as the service, must not grow without end).
 */
export const MAX_PENDING = 20_000

/** What an index must show: live rows by write token, and ids that must be gone. */
export interface Pending {
  tokens: Map<string, number>
  removed: string[]
}

export class WriteTracker {
  /** document table → id → the token of its latest write, or null for a removal. */
  readonly #pending = new Map<string, Map<string, string | null>>()

  put(index: string, ids: readonly string[], token: string): void {
    this.#record(index, ids, token)
  }

  remove(index: string, ids: readonly string[]): void {
    this.#record(index, ids, null)
  }

  #record(index: string, ids: readonly string[], value: string | null): void {
    let map = this.#pending.get(index)
    if (!map) {
      map = new Map()
      this.#pending.set(index, map)
    }
    for (const id of ids) {
      map.delete(id)
      map.set(id, value)
    }
    while (map.size > MAX_PENDING) {
      const oldest = map.keys().next().value
      if (oldest === undefined) break
      map.delete(oldest)
    }
  }

  /** The latest writes of these ids that are not yet confirmed visible: id → write token. */
  unconfirmed(index: string, ids: readonly string[]): Map<string, string> {
    const map = this.#pending.get(index)
    const out = new Map<string, string>()
    for (const id of ids) {
      const token = map?.get(id)
      if (typeof token === 'string') out.set(id, token)
    }
    return out
  }

  /** Forget a table's writes: it was dropped (an old generation), there is nothing left to show. */
  forget(index: string): void {
    this.#pending.delete(index)
  }

  /** The pending writes per index, as a snapshot. */
  snapshot(): Map<string, Pending> {
    const out = new Map<string, Pending>()
    for (const [index, map] of this.#pending) {
      const tokens = new Map<string, number>()
      const removed: string[] = []
      for (const [id, token] of map) {
        if (token === null) removed.push(id)
        else tokens.set(token, (tokens.get(token) ?? 0) + 1)
      }
      if (tokens.size > 0 || removed.length > 0) out.set(index, { tokens, removed })
    }
    return out
  }

  /**
   * What of a snapshot is still the latest state of its ids: a write that a later write or removal
   * replaced may never show (its row is gone), so waiting for it could last forever.
   */
  current(index: string, done: Pending): Pending {
    const tokens = new Map<string, number>()
    const removed: string[] = []
    const wasRemoved = new Set(done.removed)
    for (const [id, token] of this.#pending.get(index) ?? []) {
      if (token === null) {
        if (wasRemoved.has(id)) removed.push(id)
      } else if (done.tokens.has(token)) tokens.set(token, (tokens.get(token) ?? 0) + 1)
    }
    return { tokens, removed }
  }

  /** Forget what a snapshot listed, unless a later write replaced it. */
  clear(index: string, done: Pending): void {
    const map = this.#pending.get(index)
    if (!map) return
    const removed = new Set(done.removed)
    for (const [id, token] of map)
      if ((token === null && removed.has(id)) || (token !== null && done.tokens.has(token))) map.delete(id)
  }
}
