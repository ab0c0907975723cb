/**
 * @module The instance's tables by name, and lookup of tables or global index tables for reads.
 */
import { alreadyExist, invalidParameter, notExist } from '../errors.ts'
import type { PkType } from './schema.ts'
import type { SortedRows } from './sorted-rows.ts'
import type { Table } from './table.ts'

/** What a read (GetRow, GetRange) sees: a data table or a global secondary index table. */
export interface Readable {
  readonly name: string
  readonly rows: SortedRows
  readonly keySchema: readonly { name: string; type: PkType }[]
  readonly isIndex: boolean
  /** The data table (of an index table, the table it indexes): its readiness applies. */
  readonly owner: Table
  /** Brings `rows` up to `now` (a global index applies the base-table changes that are due). */
  sync(now: number): void
}

export class Catalog {
  readonly #tables = new Map<string, Table>()

  names(): string[] {
    return [...this.#tables.keys()].sort()
  }

  add(table: Table): void {
    if (this.#tables.has(table.name) || this.#indexOwner(table.name))
      throw alreadyExist(`Requested table already exists.`)
    this.#tables.set(table.name, table)
  }

  remove(name: string): Table {
    const table = this.table(name)
    this.#tables.delete(name)
    return table
  }

  /** The data table, or OTSObjectNotExist. Index tables are not writable and are not returned. */
  table(name: string): Table {
    const table = this.#tables.get(name)
    if (!table) {
      if (this.#indexOwner(name))
        throw invalidParameter(`${name} is an index table; write to its data table.`)
      throw notExist('Requested table does not exist.')
    }
    return table
  }

  /** The data table for a row write: OTSObjectNotExist, or OTSTableNotReady while it is new. */
  writable(name: string, now: number): Table {
    const table = this.table(name)
    table.checkReady(now)
    return table
  }

  /** Data tables plus secondary index tables: what the instance's table quota counts. */
  tableCount(): number {
    let n = 0
    for (const table of this.#tables.values()) n += 1 + table.secondaryIndexes.size
    return n
  }

  /** A data table or an index table, for reads; OTSTableNotReady while the (owning) table is new. */
  readable(name: string, now: number): Readable {
    const source = this.source(name)
    source.owner.checkReady(now)
    source.sync(now)
    return source
  }

  /** A data table or an index table to read from, or OTSObjectNotExist; readiness unchecked. */
  source(name: string): Readable {
    const table = this.#tables.get(name)
    if (table)
      return {
        name,
        rows: table.rows,
        keySchema: table.primaryKey.map((c) => ({ name: c.name, type: c.type })),
        isIndex: false,
        owner: table,
        sync: () => {},
      }
    const owner = this.#indexOwner(name)
    const index = owner?.secondaryIndexes.get(name)
    if (!owner || !index) throw notExist('Requested table does not exist.')
    return {
      name,
      rows: index.rows,
      keySchema: index.keySchema,
      isIndex: true,
      owner,
      sync: (now) => index.sync(now),
    }
  }

  /** Whether a table or index already uses this name (index names share the table namespace). */
  nameTaken(name: string): boolean {
    return this.#tables.has(name) || this.#indexOwner(name) !== undefined
  }

  #indexOwner(name: string): Table | undefined {
    for (const table of this.#tables.values()) if (table.secondaryIndexes.has(name)) return table
    return undefined
  }
}
