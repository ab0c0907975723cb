/**
 * @module Small builders for the SDK's row calls (conditions, keys, columns, ranges, batches),
 * so that the stores read as what they do. Batches are split at Tablestore's 200 rows per
 * BatchWriteRow and 100 per BatchGetRow, and a failed row fails the call: never a silent partial write.
 */
import type { CallOptions, TablestoreClient } from './client.ts'
import { TablestoreError } from './errors.ts'
import {
  attributesOf,
  loadSdk,
  primaryKeyOf,
  type SdkParams,
  type SdkPrimaryKeyColumn,
  type SdkRow,
  type SdkValue,
} from './sdk.ts'
import { Direction, RowExistence } from './sdk-constants.ts'

export type Existence = keyof typeof RowExistence
export type Cells = Record<string, SdkValue | undefined>

/**
 * A row-existence condition, optionally with `column == value`; a missing column (or row) fails
 * it unless `passIfMissing`.
 */
export function condition(
  existence: Existence,
  column?: { name: string; equals: SdkValue; passIfMissing?: boolean },
): object {
  const sdk = loadSdk()
  const columnCondition = column
    ? new sdk.SingleColumnCondition(
        column.name,
        column.equals,
        sdk.ComparatorType.EQUAL,
        column.passIfMissing ?? false,
      )
    : null
  return new sdk.Condition(RowExistence[existence], columnCondition)
}

/** `{a: 1, b: 2}` → `[{a: 1}, {b: 2}]`, the SDK's key and column shape; undefined values are left out. */
export function cells(values: Cells): Record<string, SdkValue>[] {
  return Object.entries(values)
    .filter((entry): entry is [string, SdkValue] => entry[1] !== undefined)
    .map(([k, v]) => ({ [k]: v }))
}

export const INF_MIN = (): object => loadSdk().INF_MIN
export const INF_MAX = (): object => loadSdk().INF_MAX

export interface RangeRead {
  table: string
  start: Cells
  end: Cells
  direction?: keyof typeof Direction
  /** Rows wanted in total; undefined reads to the end. */
  limit?: number
  columns?: string[]
}

/** Reads a key range, following `nextStartPrimaryKey` until the limit or the end. */
export async function readRange(client: TablestoreClient, read: RangeRead): Promise<SdkRow[]> {
  const rows: SdkRow[] = []
  let start: SdkParams[] | undefined = cells(read.start)
  while (start) {
    const remaining = read.limit === undefined ? 5000 : Math.min(5000, read.limit - rows.length)
    if (remaining <= 0) break
    const page = await client.call('getRange', {
      tableName: read.table,
      direction: Direction[read.direction ?? 'FORWARD'],
      inclusiveStartPrimaryKey: start,
      exclusiveEndPrimaryKey: cells(read.end),
      limit: remaining,
      maxVersions: 1,
      ...(read.columns ? { columnsToGet: read.columns } : {}),
    })
    rows.push(...page.rows)
    start = nextStart(page.nextStartPrimaryKey)
  }
  return rows
}

function nextStart(next: SdkPrimaryKeyColumn[] | null | undefined): SdkParams[] | undefined {
  return next && next.length > 0 ? next.map((c) => ({ [c.name]: c.value })) : undefined
}

/** Pages through a key range, for scans of whole tables. */
export async function* rangePages(
  client: TablestoreClient,
  read: Omit<RangeRead, 'limit'>,
  pageSize: number,
): AsyncGenerator<SdkRow[]> {
  let start: SdkParams[] | undefined = cells(read.start)
  while (start) {
    const page = await client.call('getRange', {
      tableName: read.table,
      direction: Direction[read.direction ?? 'FORWARD'],
      inclusiveStartPrimaryKey: start,
      exclusiveEndPrimaryKey: cells(read.end),
      limit: pageSize,
      maxVersions: 1,
    })
    if (page.rows.length > 0) yield page.rows
    start = nextStart(page.nextStartPrimaryKey)
  }
}

export interface BatchPut {
  type: 'PUT'
  key: Cells
  columns: Cells
  /** Only if no row has this key (EXPECT_NOT_EXIST): a row that exists is skipped, not an error. */
  ifAbsent?: boolean
}
export interface BatchDelete {
  type: 'DELETE'
  key: Cells
}

/**
 * Writes rows to one table in batches of 200; throws when any row failed, except `ifAbsent` puts
 * whose row existed, which are answered (the rows not written).
 */
export async function batchWrite<R extends BatchPut | BatchDelete>(
  client: TablestoreClient,
  table: string,
  rows: readonly R[],
  options: CallOptions = {},
): Promise<R[]> {
  const skipped: R[] = []
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200)
    const result = await client.call(
      'batchWriteRow',
      {
        tables: [
          {
            tableName: table,
            rows: chunk.map((row) => ({
              type: row.type,
              condition: condition(row.type === 'PUT' && row.ifAbsent ? 'EXPECT_NOT_EXIST' : 'IGNORE'),
              primaryKey: cells(row.key),
              ...(row.type === 'PUT' ? { attributeColumns: cells(row.columns) } : {}),
            })),
          },
        ],
      },
      options,
    )
    // Row results come in the order of the request.
    const failed = result.tables.filter((r, at) => {
      if (r.isOk) return false
      const row = chunk[at]
      const existed = row?.type === 'PUT' && row.ifAbsent && r.errorCode === 'OTSConditionCheckFail'
      if (existed) skipped.push(row)
      return !existed
    })
    if (failed.length > 0) {
      const first = failed[0]
      throw new TablestoreError(
        `batchWriteRow: ${failed.length} of ${chunk.length} rows failed: ${first?.errorCode}: ${first?.errorMessage}`,
        'batchWriteRow',
        first?.errorCode ?? undefined,
        undefined,
      )
    }
  }
  return skipped
}

/** Reads rows by key from one table in batches of 100, as plain objects (key and columns); missing rows are left out. */
export async function batchGet(
  client: TablestoreClient,
  table: string,
  keys: readonly Cells[],
  columns?: string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = []
  for (let i = 0; i < keys.length; i += 100) {
    const chunk = keys.slice(i, i + 100)
    const result = await client.call('batchGetRow', {
      tables: [
        {
          tableName: table,
          primaryKey: chunk.map((key) => cells(key)),
          maxVersions: 1,
          ...(columns ? { columnsToGet: columns } : {}),
        },
      ],
    })
    for (const row of result.tables[0] ?? []) {
      if (!row.isOk)
        throw new TablestoreError(
          `batchGetRow failed: ${row.errorCode}: ${row.errorMessage}`,
          'batchGetRow',
          row.errorCode ?? undefined,
          undefined,
        )
      if (row.primaryKey && row.primaryKey.length > 0)
        out.push({
          ...primaryKeyOf({ primaryKey: row.primaryKey }),
          ...attributesOf({ attributes: row.attributes ?? [] }),
        })
    }
  }
  return out
}

/** A row as one plain object: key columns and attributes. */
export function plainRow(row: SdkRow): Record<string, unknown> {
  return { ...primaryKeyOf(row), ...attributesOf(row) }
}
