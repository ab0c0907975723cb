/**
 * @module Turning stored rows into returned rows: columns to get, column range, time range,
 * read filters and column pagination, and the row-level consumed capacity.
 */
import { invalidParameter } from '../errors.ts'
import type { Cell, StoredRow } from '../model/row.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import type { TimeRangeMsg } from '../protocol/messages.ts'
import { has, int64ToNumber } from '../protocol/proto.ts'
import type { ColumnFilter } from './conditions.ts'
import { paginationOf, rowPasses } from './conditions.ts'

/** Read options shared by GetRow, BatchGetRow and GetRange. */
export interface ReadOptions {
  readonly columnsToGet: readonly string[]
  readonly filter?: ColumnFilter
  readonly startColumn?: string
  readonly endColumn?: string
  readonly timeRange?: { readonly start: number; readonly end: number }
}

/** Parses the optional time range; `specific_time` becomes the one-millisecond range [t, t+1). */
export function timeRangeOf(msg: TimeRangeMsg | undefined): ReadOptions['timeRange'] {
  if (!msg) return undefined
  if (has(msg, 'specificTime')) {
    const t = int64ToNumber(msg.specificTime)
    return { start: t, end: t + 1 }
  }
  const start = has(msg, 'startTime') ? int64ToNumber(msg.startTime) : 0
  const end = has(msg, 'endTime') ? int64ToNumber(msg.endTime) : Number.MAX_SAFE_INTEGER
  if (start >= end) throw invalidParameter('The start time of a time range must be less than its end time.')
  return { start, end }
}

/**
 * The row as the client sees it, or undefined when the read filter rejects it or when none of the
 * requested columns exist (Tablestore returns no row in that case). The whole primary key is
 * always returned, matching `return_entire_primary_keys` defaulting to true.
 */
export function projectRow(row: StoredRow, opts: ReadOptions): OutRow | undefined {
  if (opts.filter && !rowPasses(opts.filter, row)) return undefined
  const wanted = opts.columnsToGet.length > 0 ? new Set(opts.columnsToGet) : undefined
  let cells: [string, Cell][] = [...row.columns.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (wanted) cells = cells.filter(([name]) => wanted.has(name))
  const { startColumn, endColumn, timeRange } = opts
  if (startColumn) cells = cells.filter(([name]) => name >= startColumn)
  if (endColumn) cells = cells.filter(([name]) => name < endColumn)
  if (timeRange)
    cells = cells.filter(([, c]) => c.timestamp >= timeRange.start && c.timestamp < timeRange.end)
  const page = paginationOf(opts.filter)
  if (page) cells = cells.slice(page.offset, page.offset + page.limit)
  if (wanted && cells.length === 0 && !row.pk.some((c) => wanted.has(c.name))) return undefined
  return {
    primaryKey: row.pk,
    attributes: cells.map(([name, cell]) => ({ name, value: cell.value, timestamp: cell.timestamp })),
  }
}

/** Rough capacity units: 1 CU per started 4 KB, at least 1, as Tablestore meters reads and writes. */
export function capacityUnits(row: StoredRow | undefined): number {
  if (!row) return 1
  let bytes = 0
  for (const c of row.pk)
    bytes += c.name.length + (c.value.kind === 'INTEGER' ? 8 : String(c.value.value).length)
  for (const [name, cell] of row.columns)
    bytes += name.length + (cell.value.kind === 'STRING' ? Buffer.byteLength(cell.value.value) : 8)
  return Math.max(1, Math.ceil(bytes / 4096))
}
