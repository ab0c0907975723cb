/**
 * @module The subset of the untyped `tablestore` SDK (CommonJS, no typings) that the adapter uses,
 * typed structurally (kysely's `SqliteDatabase` idea) and loaded lazily, so that importing the
 * adapter never loads the SDK and unit tests can pass fakes.
 */
import { createRequire } from 'node:module'

/** An Int64 value as the SDK reads and writes integers (`TableStore.Long`). */
export interface Int64Like {
  toNumber(): number
  toString(): string
}

/** A primary-key or attribute value as the SDK takes and returns it. */
export type SdkValue = string | number | boolean | Buffer | Int64Like | object

export interface SdkPrimaryKeyColumn {
  name: string
  value: SdkValue
}

export interface SdkAttribute {
  columnName: string
  columnValue: SdkValue
  timestamp?: Int64Like | null
}

export interface SdkRow {
  primaryKey?: SdkPrimaryKeyColumn[]
  attributes?: SdkAttribute[]
}

/** One entry of a BatchWriteRow / BatchGetRow result. */
export interface SdkBatchRowResult {
  isOk: boolean
  errorCode?: string | null
  errorMessage?: string | null
  tableName: string
  primaryKey?: SdkPrimaryKeyColumn[] | null
  attributes?: SdkAttribute[] | null
}

export interface SdkSearchResult {
  rows: SdkRow[]
  totalCounts?: string
  nextToken?: Buffer | null
  isAllSucceeded?: boolean
  searchHits?: { score?: number }[]
  /** Aggregation and GroupBy results, read by `aggregation-compiler.ts`. */
  aggs?: { aggResults: { name: string; aggResult: unknown }[] }
  groupBys?: { groupByResults: { name: string; groupByResult: unknown }[] }
}

/** Parameters are passed through to the SDK as built; the adapter's builders own their shapes. */
export type SdkParams = Record<string, unknown>

/**
 * The calls the adapter makes, each returning a promise (the SDK returns one when no callback is
 * given). Only what is used is declared: a fake for a unit test implements a few of them.
 */
export interface TablestoreClientLike {
  listTable(params: SdkParams): Promise<{ tableNames: string[] }>
  createTable(params: SdkParams): Promise<unknown>
  describeTable(params: SdkParams): Promise<{
    tableMeta?: { definedColumn?: { name: string }[] }
    indexMetas?: { name: string }[]
  }>
  deleteTable(params: SdkParams): Promise<unknown>
  createIndex(params: SdkParams): Promise<unknown>
  getRow(params: SdkParams): Promise<{ row?: SdkRow }>
  putRow(params: SdkParams): Promise<{ row?: SdkRow }>
  updateRow(params: SdkParams): Promise<{ row?: SdkRow }>
  deleteRow(params: SdkParams): Promise<unknown>
  getRange(params: SdkParams): Promise<{ rows: SdkRow[]; nextStartPrimaryKey?: SdkPrimaryKeyColumn[] | null }>
  batchGetRow(params: SdkParams): Promise<{ tables: SdkBatchRowResult[][] }>
  batchWriteRow(params: SdkParams): Promise<{ tables: SdkBatchRowResult[] }>
  listSearchIndex(params: SdkParams): Promise<{ indices: { tableName: string; indexName: string }[] }>
  describeSearchIndex(params: SdkParams): Promise<{
    schema?: { fieldSchemas?: { fieldName: string }[] }
    syncStat?: { syncPhase?: number }
    meteringInfo?: { rowCount?: Int64Like | number }
  }>
  createSearchIndex(params: SdkParams): Promise<unknown>
  deleteSearchIndex(params: SdkParams): Promise<unknown>
  search(params: SdkParams): Promise<SdkSearchResult>
}

/** The SDK's client configuration, as far as the adapter sets it. */
export interface SdkClientConfig {
  endpoint: string
  instancename: string
  accessKeyId: string
  secretAccessKey: string
  /** The adapter retries itself; the SDK's own retry (global, reads only) is turned off. */
  maxRetries: number
  httpOptions?: { timeout?: number }
}

/** The module object (`require('tablestore')`), as far as the adapter uses it. */
export interface TablestoreModuleLike {
  Client: new (config: SdkClientConfig) => TablestoreClientLike
  Long: { fromNumber(n: number): Int64Like }
  INF_MIN: object
  INF_MAX: object
  PK_AUTO_INCR: object
  Condition: new (rowExistence: number, columnCondition: object | null) => object
  SingleColumnCondition: new (
    name: string,
    value: SdkValue,
    comparator: number,
    passIfMissing?: boolean,
    latestVersionOnly?: boolean,
  ) => object
  ComparatorType: { EQUAL: number; NOT_EQUAL: number }
  CompositeCondition: new (combinator: number) => { addSubCondition(condition: object): void }
  LogicalOperator: { AND: number }
}

let sdk: TablestoreModuleLike | undefined

/** The SDK module, loaded on first use. */
export function loadSdk(): TablestoreModuleLike {
  sdk ??= createRequire(import.meta.url)('tablestore') as TablestoreModuleLike
  return sdk
}

/** An integer cell or search value: a JS number would be sent as DOUBLE. */
export function long(n: number): Int64Like {
  return loadSdk().Long.fromNumber(n)
}

/** A plain JS value of a cell: Int64 becomes a number. */
export function plain(value: SdkValue | undefined): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    'toNumber' in value &&
    typeof value.toNumber === 'function'
  )
    return (value as Int64Like).toNumber()
  return value
}

/** A row's attribute columns as an object of plain values. */
export function attributesOf(row: SdkRow | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of row?.attributes ?? []) out[a.columnName] = plain(a.columnValue)
  return out
}

/** A row's primary key as an object of plain values. */
export function primaryKeyOf(row: SdkRow | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const c of row?.primaryKey ?? []) out[c.name] = plain(c.value)
  return out
}

/** Whether a GetRow answer holds a row (the SDK returns `{}` for a missing one). */
export function rowExists(row: SdkRow | undefined): row is SdkRow {
  return (row?.primaryKey?.length ?? 0) > 0
}
