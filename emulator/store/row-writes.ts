/**
 * @module PutRow, UpdateRow and DeleteRow semantics on one table, shared by single and batch writes.
 *
 * Each write validates the key, checks the condition against the current row, computes the new
 * row and commits it (which also updates secondary and search indexes).
 */
import { invalidParameter } from '../errors.ts'
import type { Cell, PkColumn, PrimaryKey, StoredRow } from '../model/row.ts'
import { valueBytes } from '../model/values.ts'
import type { WireCell, WireRow } from '../plainbuffer/reader.ts'
import type { ConditionMsg } from '../protocol/messages.ts'
import { checkCondition } from './conditions.ts'
import { asPrimaryKey, checkWriteKey, validateName } from './schema.ts'
import type { Table } from './table.ts'

/** Outcome of one write: the resolved key (auto-increment filled in) and the rows around it. */
export interface WriteResult {
  readonly pk: PrimaryKey
  readonly before: StoredRow | undefined
  readonly after: StoredRow | undefined
}

/**
 * Limits on the Wide Column model (https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model):
 * a STRING or BINARY attribute value is at most 2 MB; "the number of attribute columns written in one
 * request: 1024 columns" for PutRow, UpdateRow and each row of BatchWriteRow; "the data size of one
 * PutRow / UpdateRow operation: 4 MB".
 */
const MAX_VALUE_BYTES = 2 * 1024 * 1024
const MAX_COLUMNS_PER_WRITE = 1024
export const MAX_WRITE_BYTES = 4 * 1024 * 1024

/** The kinds of row change, as BatchWriteRow numbers them (`OperationType`). */
export type RowChangeKind = 'PUT' | 'UPDATE' | 'DELETE'

/**
 * Checks what can be checked without reading the stored row: the key against the schema, column
 * names, value sizes and counts. BatchWriteRow runs it on every row before writing any, because these
 * failures refuse the whole request (BatchWriteRow, https://help.aliyun.com/document_detail/27311.htm).
 */
export function checkRowChange(table: Table, row: WireRow, kind: RowChangeKind): void {
  checkWriteKey(table.primaryKey, row.primaryKey, kind !== 'DELETE')
  if (kind === 'DELETE') return
  checkCells(table, row.cells)
  if (kind === 'UPDATE' && row.cells.length === 0)
    throw invalidParameter('UpdateRow needs at least one attribute column.')
  if (kind === 'PUT')
    for (const cell of row.cells) {
      if (cell.op) throw invalidParameter(`PutRow does not accept ${cell.op} cells (column ${cell.name}).`)
      if (!cell.value) throw invalidParameter(`Column ${cell.name} has no value.`)
    }
}

function resolveKey(table: Table, row: WireRow): PrimaryKey {
  const filled = row.primaryKey.map((c) =>
    c.value.kind === 'AUTO_INCREMENT'
      ? { name: c.name, value: { kind: 'INTEGER', value: table.nextAutoIncrement() } }
      : c,
  ) as { name: string; value: PkColumn['value'] }[]
  return asPrimaryKey(filled)
}

function checkCells(table: Table, cells: readonly WireCell[]): void {
  if (cells.length > MAX_COLUMNS_PER_WRITE)
    throw invalidParameter(`The number of columns in one write exceeds ${MAX_COLUMNS_PER_WRITE}.`)
  for (const cell of cells) {
    validateName('column', cell.name)
    if (table.primaryKey.some((c) => c.name === cell.name))
      throw invalidParameter(`Attribute column ${cell.name} has the same name as a primary key column.`)
    if (cell.value && valueBytes(cell.value) > MAX_VALUE_BYTES)
      throw invalidParameter(
        `The length of attribute column: '${cell.name}' exceeds the MaxLength:${MAX_VALUE_BYTES} with CurrentLength:${valueBytes(cell.value)}.`,
      )
  }
}

/** PutRow: replaces the whole row. */
export function putRow(table: Table, row: WireRow, condition: ConditionMsg, now: number): WriteResult {
  checkRowChange(table, row, 'PUT')
  const pk = resolveKey(table, row)
  const columns = new Map<string, Cell>()
  for (const cell of row.cells)
    if (cell.value) columns.set(cell.name, { value: cell.value, timestamp: cell.timestamp ?? now })
  const before = table.get(pk)
  checkCondition(condition, before)
  const after: StoredRow = { pk, columns }
  table.commit(pk, after, now)
  return { pk, before, after }
}

/** UpdateRow: PUT, DELETE (one version), DELETE_ALL and INCREMENT per column; creates the row if absent. */
export function updateRow(table: Table, row: WireRow, condition: ConditionMsg, now: number): WriteResult {
  if (!table.options.allowUpdate)
    throw invalidParameter('UpdateRow is not allowed on this table (allow_update=false).')
  checkRowChange(table, row, 'UPDATE')
  const pk = resolveKey(table, row)
  const before = table.get(pk)
  checkCondition(condition, before)
  const columns = new Map<string, Cell>(before?.columns ?? [])
  for (const cell of row.cells) applyCell(columns, cell, now)
  const after: StoredRow = { pk, columns }
  table.commit(pk, after, now)
  return { pk, before, after }
}

function applyCell(columns: Map<string, Cell>, cell: WireCell, now: number): void {
  switch (cell.op) {
    case undefined:
      if (!cell.value) throw invalidParameter(`Column ${cell.name} has no value.`)
      columns.set(cell.name, { value: cell.value, timestamp: cell.timestamp ?? now })
      return
    case 'DELETE_ALL':
      columns.delete(cell.name)
      return
    case 'DELETE_ONE': {
      if (cell.timestamp === undefined)
        throw invalidParameter(`Deleting one version of ${cell.name} needs a timestamp.`)
      // Only one version is kept, so deleting a version removes the column only when it is that version.
      if (columns.get(cell.name)?.timestamp === cell.timestamp) columns.delete(cell.name)
      return
    }
    case 'INCREMENT': {
      if (cell.value?.kind !== 'INTEGER')
        throw invalidParameter(`INCREMENT on ${cell.name} needs an INTEGER delta.`)
      const current = columns.get(cell.name)?.value
      if (current && current.kind !== 'INTEGER')
        throw invalidParameter(
          `INCREMENT needs column ${cell.name} to hold an INTEGER, it holds ${current.kind}.`,
        )
      const base = current?.kind === 'INTEGER' ? current.value : 0n
      columns.set(cell.name, {
        value: { kind: 'INTEGER', value: BigInt.asIntN(64, base + cell.value.value) },
        timestamp: now,
      })
      return
    }
  }
}

/** DeleteRow: removes the row (a no-op when absent and the condition allows it). */
export function deleteRow(table: Table, row: WireRow, condition: ConditionMsg, now: number): WriteResult {
  checkRowChange(table, row, 'DELETE')
  const pk = asPrimaryKey(row.primaryKey)
  const before = table.get(pk)
  checkCondition(condition, before)
  if (before) table.commit(pk, undefined, now)
  return { pk, before, after: undefined }
}
