/**
 * @module One search index: the visible documents plus a queue of changes not yet visible.
 *
 * Production search indexes sync asynchronously (typically within seconds). Every row change is
 * queued with `visibleAt = change time + indexLagMs`, and the queue is drained up to "now" before
 * each search, so `indexLagMs: 0` behaves synchronously and larger values reproduce the lag.
 */
import type { StoredRow } from '../model/row.ts'
import { pkKey } from '../model/row.ts'
import type { RowChangeListener } from '../store/table.ts'
import type { IndexedDoc } from './documents.ts'
import { buildDocument, IndexingError } from './documents.ts'
import type { SearchSchema } from './schema.ts'

/** A row the index refused, with the reason (see `documents.ts`). */
export interface IndexingFailure {
  readonly table: string
  readonly index: string
  readonly primaryKey: string
  readonly reason: string
  readonly at: number
}

interface Pending {
  readonly key: string
  readonly row: StoredRow | undefined
  readonly visibleAt: number
}

/** How many refused rows an index remembers. */
const MAX_FAILURES = 1000

export class SearchIndex implements RowChangeListener {
  readonly #docs = new Map<string, IndexedDoc>()
  readonly #pending: Pending[] = []
  readonly failures: IndexingFailure[] = []
  readonly createdAt: number

  constructor(
    readonly tableName: string,
    readonly name: string,
    readonly schema: SearchSchema,
    readonly lagMs: number,
    now: number,
  ) {
    this.createdAt = now
  }

  onRowChange(before: StoredRow | undefined, after: StoredRow | undefined, at: number): void {
    const pk = (after ?? before)?.pk
    if (!pk) return
    this.#pending.push({ key: pkKey(pk), row: after, visibleAt: at + this.lagMs })
  }

  /** Applies every queued change that is visible at `now`. */
  sync(now: number): void {
    let applied = 0
    for (const change of this.#pending) {
      if (change.visibleAt > now) break
      applied++
      if (!change.row) {
        this.#docs.delete(change.key)
        continue
      }
      try {
        this.#docs.set(change.key, buildDocument(this.schema, change.row))
      } catch (err) {
        if (!(err instanceof IndexingError)) throw err
        this.#docs.delete(change.key)
        this.failures.push({
          table: this.tableName,
          index: this.name,
          primaryKey: change.key,
          reason: err.message,
          at: now,
        })
        if (this.failures.length > MAX_FAILURES) this.failures.shift()
      }
    }
    if (applied > 0) this.#pending.splice(0, applied)
  }

  /** The visible documents after syncing to `now`. */
  documents(now: number): IndexedDoc[] {
    this.sync(now)
    return [...this.#docs.values()]
  }

  /** Number of visible documents (for DescribeSearchIndex metering). */
  size(now: number): number {
    this.sync(now)
    return this.#docs.size
  }
}
