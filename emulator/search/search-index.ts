/**
 * @module One search index: the visible documents plus a queue of changes not yet visible.
 *
 * Production search indexes sync asynchronously (typically within seconds). Every row change is
 * queued with `visibleAt = change time + indexLagMs`, and the queue is drained up to "now" before
 * each search, so `indexLagMs: 0` behaves synchronously and larger values reproduce the lag.
 *
 * A new index first copies the rows the table already holds (the full sync, `SyncPhase.FULL`), then
 * follows new writes (`INCR`). The rows that existed at CreateSearchIndex stay out of the index until
 * `fullSyncUntil`; writes made meanwhile follow the lag as usual and win over the copied row of the
 * same key. Tablestore's limits on search indexes
 * (https://help.aliyun.com/en/tablestore/product-overview/general-limits-of-tablestore/, "Search
 * index"): a new index can take up to a minute to initialise, and initial or burst writes trigger
 * load balancing that lags for minutes.
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
  /** Rows of the full sync not yet copied, by key; a later write of the key removes its entry. */
  readonly #fullSync = new Map<string, StoredRow>()
  readonly failures: IndexingFailure[] = []
  readonly createdAt: number

  /**
   * @param existing the table's rows at creation, copied into the index at `fullSyncUntil`
   */
  constructor(
    readonly tableName: string,
    readonly name: string,
    readonly schema: SearchSchema,
    readonly lagMs: number,
    now: number,
    existing: Iterable<StoredRow>,
    readonly fullSyncUntil: number,
  ) {
    this.createdAt = now
    for (const row of existing) this.#fullSync.set(pkKey(row.pk), row)
  }

  onRowChange(before: StoredRow | undefined, after: StoredRow | undefined, at: number): void {
    const pk = (after ?? before)?.pk
    if (!pk) return
    const key = pkKey(pk)
    this.#fullSync.delete(key)
    this.#pending.push({ key, row: after, visibleAt: at + this.lagMs })
  }

  /** Whether the index is still copying the rows that existed before it (`SyncPhase.FULL`). */
  inFullSync(now: number): boolean {
    return now < this.fullSyncUntil
  }

  /** Applies the full sync once it is due and every queued change that is visible at `now`. */
  sync(now: number): void {
    if (this.#fullSync.size > 0 && !this.inFullSync(now)) {
      for (const [key, row] of this.#fullSync) this.#index(key, row, now)
      this.#fullSync.clear()
    }
    let applied = 0
    for (const change of this.#pending) {
      if (change.visibleAt > now) break
      applied++
      this.#index(change.key, change.row, now)
    }
    if (applied > 0) this.#pending.splice(0, applied)
  }

  #index(key: string, row: StoredRow | undefined, now: number): void {
    if (!row) {
      this.#docs.delete(key)
      return
    }
    try {
      this.#docs.set(key, buildDocument(this.schema, row))
    } catch (err) {
      if (!(err instanceof IndexingError)) throw err
      this.#docs.delete(key)
      this.failures.push({
        table: this.tableName,
        index: this.name,
        primaryKey: key,
        reason: err.message,
        at: now,
      })
      if (this.failures.length > MAX_FAILURES) this.failures.shift()
    }
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
