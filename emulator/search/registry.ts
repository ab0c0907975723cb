/**
 * @module Search indexes of the instance, keyed by table and index name, wired to table writes.
 */
import { alreadyExist, notExist } from '../errors.ts'
import type { Table } from '../store/table.ts'
import type { SearchSchema } from './schema.ts'
import { SearchIndex } from './search-index.ts'

export class SearchRegistry {
  readonly #byTable = new Map<string, Map<string, { index: SearchIndex; table: Table }>>()

  /**
   * Creates an index whose full sync copies the table's existing rows at `fullSyncUntil` (at once
   * when that is `now`), then follows every write with `lagMs`.
   */
  create(
    table: Table,
    name: string,
    schema: SearchSchema,
    timing: { lagMs: number; now: number; fullSyncUntil: number },
  ): SearchIndex {
    const indexes = this.#byTable.get(table.name) ?? new Map<string, { index: SearchIndex; table: Table }>()
    if (indexes.has(name)) throw alreadyExist(`Search index ${name} already exists.`)
    const { lagMs, now, fullSyncUntil } = timing
    const index = new SearchIndex(table.name, name, schema, lagMs, now, table.rows.all(), fullSyncUntil)
    table.listeners.add(index)
    indexes.set(name, { index, table })
    this.#byTable.set(table.name, indexes)
    return index
  }

  get(tableName: string, name: string): SearchIndex {
    const found = this.#byTable.get(tableName)?.get(name)
    if (!found) throw notExist(`Search index ${name} of table ${tableName} does not exist.`)
    return found.index
  }

  forTable(tableName: string): SearchIndex[] {
    return [...(this.#byTable.get(tableName)?.values() ?? [])].map((e) => e.index)
  }

  all(): SearchIndex[] {
    return [...this.#byTable.keys()].flatMap((t) => this.forTable(t))
  }

  drop(tableName: string, name: string): void {
    const indexes = this.#byTable.get(tableName)
    const found = indexes?.get(name)
    if (!indexes || !found) throw notExist(`Search index ${name} of table ${tableName} does not exist.`)
    found.table.listeners.delete(found.index)
    indexes.delete(name)
  }

  /** Removes every index of a deleted table. */
  dropTable(tableName: string): void {
    for (const { index, table } of this.#byTable.get(tableName)?.values() ?? []) table.listeners.delete(index)
    this.#byTable.delete(tableName)
  }
}
