/**
 * @module GetRange: a forward or backward walk between an inclusive start and an exclusive end key.
 */
import { invalidParameter } from '../errors.ts'
import type { PkBound, PrimaryKey } from '../model/row.ts'
import { comparePk } from '../model/row.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import type { Readable } from './catalog.ts'
import type { ReadOptions } from './projection.ts'
import { projectRow } from './projection.ts'

/** Tablestore returns at most 5000 rows per GetRange call. */
export const MAX_RANGE_ROWS = 5000

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
  const { rows: sorted } = source
  if (!backward) {
    for (let i = sorted.lowerBound(start); i < sorted.size; i++) {
      const row = sorted.at(i)
      if (!row || comparePk(row.pk, end) >= 0) break
      if (rows.length === max) return { rows, next: row.pk }
      const out = projectRow(row, opts)
      if (out) rows.push(out)
    }
    return { rows }
  }
  let i = sorted.lowerBound(start)
  const atStart = sorted.at(i)
  if (!atStart || comparePk(atStart.pk, start) > 0) i--
  for (; i >= 0; i--) {
    const row = sorted.at(i)
    if (!row || comparePk(row.pk, end) <= 0) break
    if (rows.length === max) return { rows, next: row.pk }
    const out = projectRow(row, opts)
    if (out) rows.push(out)
  }
  return { rows }
}
