/**
 * @module One data table: schema, sorted rows, auto-increment counter, and its change listeners.
 */
import { tableNotReady } from '../errors.ts'
import type { PrimaryKey, StoredRow } from '../model/row.ts'
import type { DefinedColumnSchema, PkColumnSchema, TableOptions } from './schema.ts'
import type { SecondaryIndex } from './secondary-index.ts'
import { SortedRows } from './sorted-rows.ts'

/** Something that must see every committed row change (search indexes). */
export interface RowChangeListener {
  onRowChange(before: StoredRow | undefined, after: StoredRow | undefined, at: number): void
}

export class Table {
  readonly rows = new SortedRows()
  readonly secondaryIndexes = new Map<string, SecondaryIndex>()
  readonly listeners = new Set<RowChangeListener>()
  readonly createdAt = Date.now()
  /** When the table starts serving reads and writes (see `tableNotReady` in `errors.ts`). */
  readyAt = 0
  #lastAutoIncrement = 0n

  constructor(
    readonly name: string,
    readonly primaryKey: readonly PkColumnSchema[],
    readonly definedColumns: readonly DefinedColumnSchema[],
    public options: TableOptions,
    public reservedThroughput: { read: number; write: number },
  ) {}

  /**
   * Next auto-increment value. Tablestore only promises values that increase within a partition,
   * not consecutive ones; a microsecond clock with a strict-increase guard gives the same shape.
   */
  nextAutoIncrement(): bigint {
    const now = BigInt(Date.now()) * 1000n
    this.#lastAutoIncrement = now > this.#lastAutoIncrement ? now : this.#lastAutoIncrement + 1n
    return this.#lastAutoIncrement
  }

  /** Refuses reads and writes until the table is ready, as a freshly created Tablestore table does. */
  checkReady(now: number): void {
    if (now < this.readyAt) throw tableNotReady()
  }

  get(pk: PrimaryKey): StoredRow | undefined {
    return this.rows.get(pk)
  }

  /** Stores (or with `after` undefined, removes) a row and propagates the change to every index. */
  commit(pk: PrimaryKey, after: StoredRow | undefined, at: number): StoredRow | undefined {
    const before = after ? this.rows.get(pk) : this.rows.delete(pk)
    if (after) this.rows.set(after)
    for (const index of this.secondaryIndexes.values()) index.apply(before, after, at)
    for (const listener of this.listeners) listener.onRowChange(before, after, at)
    return before
  }
}
