/**
 * @module GetRange: a forward or backward walk between an inclusive start and an exclusive end key.
 */
import { invalidParameter } from '../errors.ts'
import type { PkBound, PrimaryKey } from '../model/row.ts'
import { comparePk } from '../model/row.ts'
import { isPkValue, valueBytes } from '../model/values.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import type { Readable } from './catalog.ts'
import type { ReadOptions } from './projection.ts'
import { projectRow } from './projection.ts'

/**
 * One GetRange returns at most 5000 rows or 4 MB, cut at a row boundary with the next row's key
 * (limits on the Wide Column model, https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model).
 */
export const MAX_RANGE_ROWS = 5000
export const MAX_RANGE_BYTES = 4 * 1024 * 1024

/** The data a returned row counts for: column names and values, key included. */
function outRowBytes(row: OutRow): number {
  let n = 0
  for (const c of row.primaryKey)
    n += Buffer.byteLength(c.name) + (isPkValue(c.value) ? valueBytes(c.value) : 0)
  for (const a of row.attributes) n += Buffer.byteLength(a.name) + valueBytes(a.value)
  return n
}

export interface RangeResult {
  readonly rows: OutRow[]
  /** Key to continue from, when rows remain in the range. */
  readonly next?: PrimaryKey
}

/**
 * Scans `[start, end)` forward, or `(end, start]` downwards for BACKWARD. Rows rejected by the
 * read filter or lacking the requested columns are skipped and do not count against the limit.
 */
export function scanRange(
  source: Readable,
  start: PkBound,
  end: PkBound,
  backward: boolean,
  limit: number | undefined,
  opts: ReadOptions,
): RangeResult {
  const order = comparePk(start, end)
  if (!backward && order >= 0)
    throw invalidParameter('Begin key must be less than end key in FORWARD direction.')
  if (backward && order <= 0)
    throw invalidParameter('Begin key must be more than end key in BACKWARD direction.')
  if (limit !== undefined && limit <= 0)
    throw invalidParameter('The limit of GetRange must be greater than 0.')
  const max = Math.min(limit ?? MAX_RANGE_ROWS, MAX_RANGE_ROWS)
  const rows: OutRow[] = []
  let bytes = 0
  const full = () => rows.length === max || bytes >= MAX_RANGE_BYTES
  const take = (out: OutRow | undefined) => {
    if (!out) return
    rows.push(out)
    bytes += outRowBytes(out)
  }
  const { rows: sorted } = source
  if (!backward) {
    for (let i = sorted.lowerBound(start); i < sorted.size; i++) {
      const row = sorted.at(i)
      if (!row || comparePk(row.pk, end) >= 0) break
      if (full()) return { rows, next: row.pk }
      take(projectRow(row, opts))
    }
    return { rows }
  }
  let i = sorted.lowerBound(start)
  const atStart = sorted.at(i)
  if (!atStart || comparePk(atStart.pk, start) > 0) i--
  for (; i >= 0; i--) {
    const row = sorted.at(i)
    if (!row || comparePk(row.pk, end) <= 0) break
    if (full()) return { rows, next: row.pk }
    take(projectRow(row, opts))
  }
  return { rows }
}
