/**
 * @module Global secondary indexes: an index table kept in step with every base-table write.
 *
 * The index key is the index's declared PK columns followed by the base-table PK columns it does
 * not already contain, which keeps index keys unique. A base row whose index-key columns are not
 * all present (or hold a type that cannot be a key) has no index row, as in Tablestore.
 */
import { invalidParameter } from '../errors.ts'
import type { Cell, PkColumn, StoredRow } from '../model/row.ts'
import { isPkValue } from '../model/values.ts'
import type { DefinedColumnSchema, PkColumnSchema, PkType } from './schema.ts'
import { validateName } from './schema.ts'
import { SortedRows } from './sorted-rows.ts'

export interface SecondaryIndexMeta {
  readonly name: string
  readonly primaryKey: readonly string[]
  readonly definedColumns: readonly string[]
  readonly updateMode: number
  readonly indexType: number
}

/** A base-row change not yet applied to a global index. */
interface Pending {
  readonly before: StoredRow | undefined
  readonly after: StoredRow | undefined
  readonly visibleAt: number
}

/**
 * Global indexes follow their table asynchronously, local indexes synchronously. IndexType
 * (https://www.alibabacloud.com/help/en/tablestore/developer-reference/indextype): a global secondary
 * index is synchronised asynchronously ("usually within milliseconds"), a local one synchronously.
 * `lagMs` (the emulator's `secondaryIndexLagMs`) is how long a global index trails its table.
 */
export class SecondaryIndex {
  readonly rows = new SortedRows()
  readonly #pending: Pending[] = []
  /** Index PK columns with their types, in index-key order. */
  readonly keySchema: readonly { name: string; type: PkType }[]

  constructor(
    readonly meta: SecondaryIndexMeta,
    basePk: readonly PkColumnSchema[],
    defined: readonly DefinedColumnSchema[],
    readonly lagMs = 0,
  ) {
    validateName('index', meta.name)
    if (meta.primaryKey.length === 0)
      throw invalidParameter(`Index ${meta.name} must have at least one PK column.`)
    const typeOf = (name: string): PkType => {
      const pk = basePk.find((c) => c.name === name)
      if (pk) return pk.type
      const col = defined.find((c) => c.name === name)
      if (!col)
        throw invalidParameter(`Index ${meta.name}: column ${name} is neither a PK nor a defined column.`)
      if (col.type === 'DOUBLE' || col.type === 'BOOLEAN')
        throw invalidParameter(
          `Index ${meta.name}: column ${name} of type ${col.type} cannot be an index key.`,
        )
      return col.type
    }
    if (new Set(meta.primaryKey).size !== meta.primaryKey.length)
      throw invalidParameter(`Index ${meta.name}: duplicate PK column.`)
    for (const name of meta.definedColumns) {
      if (!defined.some((c) => c.name === name))
        throw invalidParameter(`Index ${meta.name}: ${name} is not a defined column of the table.`)
      if (meta.primaryKey.includes(name))
        throw invalidParameter(`Index ${meta.name}: ${name} is already a PK column.`)
    }
    if (meta.indexType === 1 && meta.primaryKey[0] !== basePk[0]?.name)
      throw invalidParameter(`Local index ${meta.name} must start with the table's first PK column.`)
    const names = [
      ...meta.primaryKey,
      ...basePk.map((c) => c.name).filter((n) => !meta.primaryKey.includes(n)),
    ]
    this.keySchema = names.map((name) => ({ name, type: typeOf(name) }))
  }

  /** The index row derived from a base row, or undefined when the row is not indexable. */
  project(base: StoredRow): StoredRow | undefined {
    const pk: PkColumn[] = []
    for (const { name } of this.keySchema) {
      const fromPk = base.pk.find((c) => c.name === name)
      if (fromPk) {
        pk.push(fromPk)
        continue
      }
      const cell = base.columns.get(name)
      if (!cell || !isPkValue(cell.value)) return undefined
      pk.push({ name, value: cell.value })
    }
    const columns = new Map<string, Cell>()
    for (const name of this.meta.definedColumns) {
      const cell = base.columns.get(name)
      if (cell) columns.set(name, cell)
    }
    return { pk, columns }
  }

  /** Whether the index is global (asynchronous) rather than local (`index_type` 1, synchronous). */
  get isGlobal(): boolean {
    return this.meta.indexType !== 1
  }

  /** Queues (global) or applies (local, or no lag) the change of a base row made at `at`. */
  apply(before: StoredRow | undefined, after: StoredRow | undefined, at: number): void {
    const lag = this.isGlobal ? this.lagMs : 0
    if (lag === 0 && this.#pending.length === 0) this.#replace(before, after)
    else this.#pending.push({ before, after, visibleAt: at + lag })
  }

  /** Applies every queued change due at `now`; reads of the index table call it first. */
  sync(now: number): void {
    let applied = 0
    for (const change of this.#pending) {
      if (change.visibleAt > now) break
      this.#replace(change.before, change.after)
      applied++
    }
    if (applied > 0) this.#pending.splice(0, applied)
  }

  /** Replaces the index row of `before` with the index row of `after`. */
  #replace(before: StoredRow | undefined, after: StoredRow | undefined): void {
    const oldRow = before && this.project(before)
    if (oldRow) this.rows.delete(oldRow.pk)
    const newRow = after && this.project(after)
    if (newRow) this.rows.set(newRow)
  }
}
