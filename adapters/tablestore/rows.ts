/**
 * @module Small builders for the SDK's row calls (conditions, keys, columns, ranges, batches),
 * so that the stores read as what they do. Batches are split at Tablestore's documented maxima
 * (BatchWriteRow: 200 row operations and 4 MB of data; BatchGetRow: 100 rows), and a failed row
 * fails the call: never a silent partial write.
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
import { Direction, ReturnType, RowExistence } from './sdk-constants.ts'

/**
 * BatchWriteRow refuses the whole request when "the total number of row operations exceeds 200,
 * or the total data size exceeds 4 MB" (BatchWriteRow, https://help.aliyun.com/document_detail/27311.htm;
 * https://www.alibabacloud.com/help/en/tablestore/table-store-service/developer-reference/batch-write-row-in-nodejs).
 * BatchGetRow reads at most 100 rows ("Tablestore limits",
 * https://www.alibabacloud.com/help/en/tablestore/general-limits-of-tablestore).
 */
export const BATCH_LIMITS = { writeRows: 200, writeBytes: 4 * 1024 * 1024, getRows: 100 } as const

export type Existence = keyof typeof RowExistence
export type Cells = Record<string, SdkValue | undefined>

/** One column test of a write condition; a missing column (or row) fails it unless `passIfMissing`. */
export type ColumnTest = ({ equals: SdkValue } | { notEquals: SdkValue }) & {
  name: string
  passIfMissing?: boolean
}

/**
 * A row-existence condition, optionally with column tests, all of which must hold (a
 * CompositeCondition with AND when there are several: "Conditional updates",
 * https://www.alibabacloud.com/help/doc-detail/35194.html).
 */
export function condition(existence: Existence, ...columns: ColumnTest[]): object {
  const sdk = loadSdk()
  const single = (test: ColumnTest) =>
    new sdk.SingleColumnCondition(
      test.name,
      'equals' in test ? test.equals : test.notEquals,
      'equals' in test ? sdk.ComparatorType.EQUAL : sdk.ComparatorType.NOT_EQUAL,
      test.passIfMissing ?? false,
    )
  const [first, ...others] = columns
  if (!first) return new sdk.Condition(RowExistence[existence], null)
  if (others.length === 0) return new sdk.Condition(RowExistence[existence], single(first))
  const all = new sdk.CompositeCondition(sdk.LogicalOperator.AND)
  for (const test of columns) all.addSubCondition(single(test))
  return new sdk.Condition(RowExistence[existence], all)
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
 * Per-cell and per-row allowance on top of names and values: the docs count a row's size as its
 * column names and values (data size, as billed), and do not say whether the 4 MB is counted that
 * way or on the encoded request; PlainBuffer spends about 14 bytes of tags, lengths, type and
 * checksum per cell, so allowing 20 keeps a batch under 4 MB either way.
 */
const CELL_OVERHEAD = 20
const ROW_OVERHEAD = 16

/** A value's size as Tablestore counts it: UTF-8 bytes of a string, 8 for integers and doubles, 1 for a boolean. */
function valueBytes(value: SdkValue): number {
  if (typeof value === 'string') return Buffer.byteLength(value)
  if (typeof value === 'boolean') return 1
  if (Buffer.isBuffer(value)) return value.length
  return 8
}

function cellsBytes(values: Cells): number {
  let n = 0
  for (const [name, value] of Object.entries(values))
    if (value !== undefined) n += Buffer.byteLength(name) + valueBytes(value) + CELL_OVERHEAD
  return n
}

/** The bytes a row operation adds to a BatchWriteRow request (see {@link CELL_OVERHEAD}). */
export function rowBytes(row: { key: Cells; columns?: Cells }): number {
  return ROW_OVERHEAD + cellsBytes(row.key) + (row.columns ? cellsBytes(row.columns) : 0)
}

/**
 * Splits rows into requests of at most 200 operations and 4 MB each, in order. A row larger than
 * 4 MB on its own goes alone (Tablestore's row limits refuse it with their own error).
 */
export function writeBatches<R extends { key: Cells; columns?: Cells }>(rows: readonly R[]): R[][] {
  const batches: R[][] = []
  let current: R[] = []
  let bytes = 0
  for (const row of rows) {
    const size = rowBytes(row)
    if (
      current.length > 0 &&
      (current.length >= BATCH_LIMITS.writeRows || bytes + size > BATCH_LIMITS.writeBytes)
    ) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(row)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** One row operation of a BatchWriteRow with its own condition. */
export interface RowWrite {
  type: 'PUT' | 'UPDATE' | 'DELETE'
  key: Cells
  /** PUT: the row's columns; UPDATE: the columns set. */
  columns?: Cells
  /** A {@link condition}. @default IGNORE */
  condition?: object
  /** Answer the row's primary key (ReturnType RT_PK): an auto-increment value the server assigned. */
  returnPrimaryKey?: boolean
}

/** A row's own outcome: BatchWriteRow answers one per row, in request order. */
export interface RowWriteResult {
  ok: boolean
  errorCode?: string | undefined
  /** With `returnPrimaryKey`, when `ok`. */
  primaryKey?: Record<string, unknown> | undefined
}

/**
 * Writes rows to one table in batches within BatchWriteRow's maxima ({@link writeBatches}) and
 * answers each row's outcome, in request order. BatchWriteRow "may fail partially at row level,
 * with HTTP status 200 still": each row's RowInBatchWriteRowResponse says is_ok and its error
 * (BatchWriteRow, https://help.aliyun.com/document_detail/27311.htm and
 * https://help.aliyun.com/en/tablestore/developer-reference/batchwriterow; RowInBatchWriteRowResponse,
 * https://alibabacloud.com/help/en/tablestore/developer-reference/rowinbatchwriterowresponse). A
 * request that fails as a whole throws (some earlier requests' rows may be written).
 */
export async function batchWriteRows(
  client: TablestoreClient,
  table: string,
  rows: readonly RowWrite[],
  options: CallOptions = {},
): Promise<RowWriteResult[]> {
  const out: RowWriteResult[] = []
  for (const chunk of writeBatches(rows)) {
    const result = await client.call(
      'batchWriteRow',
      {
        tables: [
          {
            tableName: table,
            rows: chunk.map((row) => ({
              type: row.type,
              condition: row.condition ?? condition('IGNORE'),
              primaryKey: cells(row.key),
              ...(row.type === 'PUT' ? { attributeColumns: cells(row.columns ?? {}) } : {}),
              ...(row.type === 'UPDATE' ? { attributeColumns: [{ PUT: cells(row.columns ?? {}) }] } : {}),
              ...(row.returnPrimaryKey ? { returnContent: { returnType: ReturnType.Primarykey } } : {}),
            })),
          },
        ],
      },
      options,
    )
    // Row results come in the order of the request.
    chunk.forEach((_, at) => {
      const r = result.tables[at]
      out.push(
        r?.isOk
          ? { ok: true, primaryKey: r.primaryKey ? primaryKeyOf({ primaryKey: r.primaryKey }) : undefined }
          : { ok: false, errorCode: r?.errorCode ?? 'missing row result' },
      )
    })
  }
  return out
}

/**
 * Writes rows to one table in batches within BatchWriteRow's maxima ({@link writeBatches}); throws
 * when any row failed, except `ifAbsent` puts whose row existed, which are answered (the rows not
 * written).
 */
export async function batchWrite<R extends BatchPut | BatchDelete>(
  client: TablestoreClient,
  table: string,
  rows: readonly R[],
  options: CallOptions = {},
): Promise<R[]> {
  const results = await batchWriteRows(
    client,
    table,
    rows.map((row) => ({
      ...row,
      condition: condition(row.type === 'PUT' && row.ifAbsent ? 'EXPECT_NOT_EXIST' : 'IGNORE'),
    })),
    options,
  )
  const skipped: R[] = []
  const failed = results.filter((r, at) => {
    if (r.ok) return false
    const row = rows[at]
    const existed = row?.type === 'PUT' && row.ifAbsent && r.errorCode === 'OTSConditionCheckFail'
    if (existed) skipped.push(row)
    return !existed
  })
  const first = failed[0]
  if (first)
    throw new TablestoreError(
      `batchWriteRow: ${failed.length} of ${rows.length} rows failed: ${first.errorCode}`,
      'batchWriteRow',
      first.errorCode,
      undefined,
    )
  return skipped
}

/** Reads rows by key from one table in batches of 100 (BatchGetRow's maximum), as plain objects (key and columns); missing rows are left out. */
export async function batchGet(
  client: TablestoreClient,
  table: string,
  keys: readonly Cells[],
  columns?: string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = []
  for (let i = 0; i < keys.length; i += BATCH_LIMITS.getRows) {
    const chunk = keys.slice(i, i + BATCH_LIMITS.getRows)
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
