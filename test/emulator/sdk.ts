/**
 * @module The real `tablestore` SDK, loaded with a structural type of the calls the emulator tests make.
 *
 * The package ships no typings; declaring them here (instead of a global `declare module`) keeps the
 * emulator suite from clashing with typings other parts of the project may add.
 */
import { createRequire } from 'node:module'

export interface Int64 {
  toNumber(): number
  toString(): string
}

export interface SdkRow {
  primaryKey: { name: string; value: unknown }[]
  attributes: { columnName: string; columnValue: unknown; timestamp: Int64 | null }[]
}

export interface SdkSearchResult {
  rows: SdkRow[]
  totalCounts?: string
  nextToken: Buffer | null
  isAllSucceeded: boolean
  searchHits: {
    score?: number
    row: SdkRow
    highlightResultItem?: { highlightFields: Map<string, { fragments: string[] }> }
  }[]
  aggs?: { aggResults: SdkAggResult[] }
  groupBys?: { groupByResults: SdkGroupByResult[] }
}

export interface SdkAggResult {
  name: string
  type: number
  aggResult: { value?: number | Int64; rows?: SdkRow[] }
}

export interface SdkGroupByItem {
  key?: string
  from?: number
  to?: number
  rowCount?: Int64
  value?: Int64
  timeStamp?: Int64
  subAggsResult?: { aggResults: SdkAggResult[] }
  subGroupBysResult?: { groupByResults: SdkGroupByResult[] }
}

export interface SdkGroupByResult {
  name: string
  type: number
  groupByResult: { items: SdkGroupByItem[] }
}

export interface SdkBatchRowResult {
  isOk: boolean
  errorCode: string | null
  errorMessage: string | null
  tableName: string
  primaryKey: { name: string; value: unknown }[] | null
  attributes: SdkRow['attributes'] | null
}

type Call<R = Record<string, unknown>> = (params: object) => Promise<R>

export interface SdkClient {
  createTable: Call
  listTable: Call<{ tableNames: string[] }>
  describeTable: Call<{
    tableMeta: {
      tableName: string
      primaryKey: { name: string; type: number; option?: number }[]
      definedColumn: { name: string; type: number }[]
    }
    tableOptions: { maxVersions: number; timeToLive: number }
    indexMetas: { name: string; primaryKey: string[]; definedColumn: string[] }[]
  }>
  updateTable: Call
  deleteTable: Call
  createIndex: Call
  dropIndex: Call
  putRow: Call<{ row: Partial<SdkRow> }>
  getRow: Call<{ row: Partial<SdkRow> }>
  updateRow: Call<{ row: Partial<SdkRow> }>
  deleteRow: Call<{ row: Partial<SdkRow> }>
  getRange: Call<{ rows: SdkRow[]; nextStartPrimaryKey: { name: string; value: unknown }[] | null }>
  batchGetRow: Call<{ tables: SdkBatchRowResult[][] }>
  batchWriteRow: Call<{ tables: SdkBatchRowResult[] }>
  createSearchIndex: Call
  describeSearchIndex: Call<{
    schema: {
      fieldSchemas: {
        fieldName: string
        fieldType: number
        analyzer?: string
        analyzerParameter?: Record<string, unknown>
        isArray?: boolean
        fieldSchemas: unknown[]
      }[]
    }
    indexStatus: { status: string }
    meteringInfo?: { rowCount: Int64 }
    syncStat?: { syncPhase: number }
  }>
  listSearchIndex: Call<{ indices: { tableName: string; indexName: string }[] }>
  deleteSearchIndex: Call
  search: Call<SdkSearchResult>
  computeSplits: Call<{ sessionId: Buffer; splitsSize: number }>
  parallelScan: Call<{ rows: SdkRow[]; nextToken: Buffer | null }>
}

export interface TableStoreSdk {
  Client: new (config: {
    accessKeyId: string
    secretAccessKey: string
    endpoint: string
    instancename: string
    maxRetries: number
  }) => SdkClient
  Long: { fromNumber(n: number): Int64; fromString(s: string): Int64 }
  INF_MIN: object
  INF_MAX: object
  PK_AUTO_INCR: object
  Condition: new (rowExistence: number, columnCondition: object | null) => object
  SingleColumnCondition: new (
    name: string,
    value: unknown,
    comparator: number,
    passIfMissing?: boolean,
    latestVersionOnly?: boolean,
  ) => object
  CompositeCondition: new (combinator: number) => { addSubCondition(c: object): void }
  RowExistenceExpectation: { IGNORE: number; EXPECT_EXIST: number; EXPECT_NOT_EXIST: number }
  ComparatorType: Record<
    'EQUAL' | 'NOT_EQUAL' | 'GREATER_THAN' | 'GREATER_EQUAL' | 'LESS_THAN' | 'LESS_EQUAL',
    number
  >
  LogicalOperator: { NOT: number; AND: number; OR: number }
  ReturnType: { NONE: number; Primarykey: number; AfterModify: number }
  PrimaryKeyType: { INTEGER: number; STRING: number; BINARY: number }
  PrimaryKeyOption: { AUTO_INCREMENT: number }
  DefinedColumnType: { DCT_INTEGER: number; DCT_DOUBLE: number; DCT_BOOLEAN: number; DCT_STRING: number }
  Direction: { FORWARD: string; BACKWARD: string }
  UpdateType: { PUT: string; DELETE: string; DELETE_ALL: string; INCREMENT: string }
  QueryType: Record<
    | 'MATCH_QUERY'
    | 'MATCH_PHRASE_QUERY'
    | 'TERM_QUERY'
    | 'RANGE_QUERY'
    | 'PREFIX_QUERY'
    | 'BOOL_QUERY'
    | 'CONST_SCORE_QUERY'
    | 'FUNCTION_SCORE_QUERY'
    | 'NESTED_QUERY'
    | 'WILDCARD_QUERY'
    | 'MATCH_ALL_QUERY'
    | 'GEO_BOUNDING_BOX_QUERY'
    | 'GEO_DISTANCE_QUERY'
    | 'GEO_POLYGON_QUERY'
    | 'TERMS_QUERY'
    | 'EXISTS_QUERY'
    | 'KNN_VECTOR_QUERY',
    number
  >
  QueryOperator: { OR: number; AND: number }
  ScoreMode: Record<
    'SCORE_MODE_NONE' | 'SCORE_MODE_AVG' | 'SCORE_MODE_MAX' | 'SCORE_MODE_TOTAL' | 'SCORE_MODE_MIN',
    number
  >
  SortOrder: { SORT_ORDER_ASC: number; SORT_ORDER_DESC: number }
  SortMode: { SORT_MODE_MIN: number; SORT_MODE_MAX: number; SORT_MODE_AVG: number }
  FieldType: Record<
    'LONG' | 'DOUBLE' | 'BOOLEAN' | 'KEYWORD' | 'TEXT' | 'NESTED' | 'GEO_POINT' | 'DATE',
    number
  >
  ColumnReturnType: Record<
    'RETURN_ALL' | 'RETURN_SPECIFIED' | 'RETURN_NONE' | 'RETURN_ALL_FROM_INDEX',
    number
  >
  AggregationType: Record<
    | 'AGG_AVG'
    | 'AGG_MAX'
    | 'AGG_MIN'
    | 'AGG_SUM'
    | 'AGG_COUNT'
    | 'AGG_DISTINCT_COUNT'
    | 'AGG_TOP_ROWS'
    | 'AGG_PERCENTILES',
    number
  >
  GroupByType: Record<
    | 'GROUP_BY_FIELD'
    | 'GROUP_BY_RANGE'
    | 'GROUP_BY_FILTER'
    | 'GROUP_BY_GEO_DISTANCE'
    | 'GROUP_BY_HISTOGRAM'
    | 'GROUP_BY_DATE_HISTOGRAM'
    | 'GROUP_BY_GEO_GRID'
    | 'GROUP_BY_COMPOSITE',
    number
  >
  HighlightFragmentOrder: { TEXT_SEQUENCE: number; SCORE: number }
  HighlightEncoder: { PLAIN_MODE: number; HTML_MODE: number }
}

const require = createRequire(import.meta.url)

/** The SDK module object (what `import TableStore from 'tablestore'` yields). */
export const TableStore = require('tablestore') as TableStoreSdk
