/**
 * @module Which columns a Search or ParallelScan row returns (`ColumnsToGet`).
 *
 * RETURN_ALL and RETURN_SPECIFIED read the data table (falling back to the indexed snapshot if the
 * row is gone), like production's lookup back into the table; RETURN_ALL_FROM_INDEX returns the
 * indexed columns as they were indexed; RETURN_NONE returns the primary key only.
 */
import { invalidParameter } from '../errors.ts'
import type { StoredRow } from '../model/row.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import type { ColumnsToGetMsg } from '../protocol/messages.ts'
import type { IndexedDoc } from './documents.ts'
import type { SearchSchema } from './schema.ts'

export const RETURN_ALL = 1
export const RETURN_SPECIFIED = 2
export const RETURN_NONE = 3
export const RETURN_ALL_FROM_INDEX = 4

/** Whether every returned column comes from the index (which allows a limit of 1000). */
export function columnsFromIndex(ctg: ColumnsToGetMsg | undefined, schema: SearchSchema): boolean {
  const type = ctg?.returnType ?? RETURN_NONE
  if (type === RETURN_NONE || type === RETURN_ALL_FROM_INDEX) return true
  if (type === RETURN_SPECIFIED)
    return (ctg?.columnNames ?? []).every((n) => schema.fields.some((f) => f.name === n))
  return false
}

function rowOut(row: StoredRow, keep: (name: string) => boolean): OutRow {
  const attributes = [...row.columns.entries()]
    .filter(([name]) => keep(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, cell]) => ({ name, value: cell.value, timestamp: cell.timestamp }))
  return { primaryKey: row.pk, attributes }
}

/** The returned row for one hit. `current` is the data table's row now, if it still exists. */
export function projectHit(
  ctg: ColumnsToGetMsg | undefined,
  doc: IndexedDoc,
  current: StoredRow | undefined,
  schema: SearchSchema,
): OutRow {
  const type = ctg?.returnType ?? RETURN_NONE
  switch (type) {
    case RETURN_NONE:
      return { primaryKey: doc.row.pk, attributes: [] }
    case RETURN_ALL:
      return rowOut(current ?? doc.row, () => true)
    case RETURN_ALL_FROM_INDEX:
      return rowOut(doc.row, (name) => schema.fields.some((f) => f.name === name))
    case RETURN_SPECIFIED: {
      const names = new Set(ctg?.columnNames ?? [])
      const source = columnsFromIndex(ctg, schema) ? doc.row : (current ?? doc.row)
      return rowOut(source, (name) => names.has(name))
    }
    default:
      throw invalidParameter(`Invalid columns_to_get return type ${type}.`)
  }
}
