/**
 * @module Structural types of the decoded protobuf requests the emulator reads.
 *
 * Field names are pbjs camelCase. Only the fields the emulator looks at are listed; optional
 * scalars may carry a prototype default, so presence checks go through `has()`.
 */
import type { Int64Like } from './proto.ts'

export interface PrimaryKeySchemaMsg {
  name: string
  type: number
  option?: number
}
export interface DefinedColumnSchemaMsg {
  name: string
  type: number
}
export interface IndexMetaMsg {
  name: string
  primaryKey: string[]
  definedColumn: string[]
  indexUpdateMode: number
  indexType: number
}
export interface TableMetaMsg {
  tableName: string
  primaryKey: PrimaryKeySchemaMsg[]
  definedColumn: DefinedColumnSchemaMsg[]
}
export interface TableOptionsMsg {
  timeToLive?: number
  maxVersions?: number
  allowUpdate?: boolean
}
export interface CapacityUnitMsg {
  read?: number
  write?: number
}
export interface CreateTableRequestMsg {
  tableMeta: TableMetaMsg
  reservedThroughput: { capacityUnit: CapacityUnitMsg }
  tableOptions?: TableOptionsMsg
  streamSpec?: { enableStream: boolean }
  indexMetas: IndexMetaMsg[]
}
export interface TableNameRequestMsg {
  tableName: string
}
export interface CreateIndexRequestMsg {
  mainTableName: string
  indexMeta: IndexMetaMsg
  includeBaseData?: boolean
}
export interface DropIndexRequestMsg {
  mainTableName: string
  indexName: string
}
export interface UpdateTableRequestMsg {
  tableName: string
  tableOptions?: TableOptionsMsg
  reservedThroughput?: { capacityUnit: CapacityUnitMsg }
  streamSpec?: { enableStream: boolean }
}

export interface ConditionMsg {
  rowExistence: number
  columnCondition?: Uint8Array
}
export interface ReturnContentMsg {
  returnType?: number
  returnColumnNames: string[]
}
export interface TimeRangeMsg {
  startTime?: Int64Like
  endTime?: Int64Like
  specificTime?: Int64Like
}
export interface GetRowRequestMsg {
  tableName: string
  primaryKey: Uint8Array
  columnsToGet: string[]
  timeRange?: TimeRangeMsg
  maxVersions?: number
  filter?: Uint8Array
  startColumn?: string
  endColumn?: string
  transactionId?: string
}
export interface PutRowRequestMsg {
  tableName: string
  row: Uint8Array
  condition: ConditionMsg
  returnContent?: ReturnContentMsg
  transactionId?: string
}
export interface UpdateRowRequestMsg {
  tableName: string
  rowChange: Uint8Array
  condition: ConditionMsg
  returnContent?: ReturnContentMsg
  transactionId?: string
}
export interface DeleteRowRequestMsg {
  tableName: string
  primaryKey: Uint8Array
  condition: ConditionMsg
  returnContent?: ReturnContentMsg
  transactionId?: string
}
export interface GetRangeRequestMsg {
  tableName: string
  direction: number
  columnsToGet: string[]
  timeRange?: TimeRangeMsg
  maxVersions?: number
  limit?: number
  inclusiveStartPrimaryKey: Uint8Array
  exclusiveEndPrimaryKey: Uint8Array
  filter?: Uint8Array
  startColumn?: string
  endColumn?: string
  token?: Uint8Array
  transactionId?: string
}
export interface TableInBatchGetRowRequestMsg {
  tableName: string
  primaryKey: Uint8Array[]
  token: Uint8Array[]
  columnsToGet: string[]
  timeRange?: TimeRangeMsg
  maxVersions?: number
  filter?: Uint8Array
  startColumn?: string
  endColumn?: string
}
export interface BatchGetRowRequestMsg {
  tables: TableInBatchGetRowRequestMsg[]
}
export interface RowInBatchWriteRowRequestMsg {
  type: number
  rowChange: Uint8Array
  condition: ConditionMsg
  returnContent?: ReturnContentMsg
}
export interface BatchWriteRowRequestMsg {
  tables: { tableName: string; rows: RowInBatchWriteRowRequestMsg[] }[]
  transactionId?: string
}

export interface FilterMsg {
  type: number
  filter: Uint8Array
}
export interface SingleColumnValueFilterMsg {
  comparator: number
  columnName: string
  columnValue: Uint8Array
  filterIfMissing: boolean
  latestVersionOnly: boolean
}
export interface CompositeColumnValueFilterMsg {
  combinator: number
  subFilters: FilterMsg[]
}
export interface ColumnPaginationFilterMsg {
  offset: number
  limit: number
}

// ---- search.proto ----

export interface QueryMsg {
  type: number
  query: Uint8Array
}
export interface SortMsg {
  sorter: SorterMsg[]
}
export interface NestedFilterMsg {
  path: string
  filter?: QueryMsg
}
export interface FieldSortMsg {
  fieldName: string
  order: number
  mode: number
  nestedFilter?: NestedFilterMsg
  missingValue: Uint8Array
  missingField: string
}
export interface GeoDistanceSortMsg {
  fieldName: string
  points: string[]
  order: number
  mode: number
  distanceType: number
  nestedFilter?: NestedFilterMsg
}
export interface SorterMsg {
  fieldSort?: FieldSortMsg
  geoDistanceSort?: GeoDistanceSortMsg
  scoreSort?: { order: number }
  pkSort?: { order: number }
  docSort?: { order: number }
}
export interface FieldSchemaMsg {
  fieldName: string
  fieldType: number
  indexOptions?: number
  analyzer?: string
  index?: boolean
  docValues?: boolean
  store?: boolean
  fieldSchemas: FieldSchemaMsg[]
  isArray?: boolean
  analyzerParameter?: Uint8Array
  isVirtualField?: boolean
  sourceFieldNames: string[]
  dateFormats: string[]
  enableHighlighting?: boolean
  vectorOptions?: object
}
export interface IndexSchemaMsg {
  fieldSchemas: FieldSchemaMsg[]
  indexSetting?: { numberOfShards?: number; routingFields: string[]; routingPartitionSize?: number }
  indexSort?: SortMsg
}
export interface CreateSearchIndexRequestMsg {
  tableName: string
  indexName: string
  schema?: IndexSchemaMsg
  sourceIndexName?: string
  timeToLive?: number
}
export interface SearchIndexNameRequestMsg {
  tableName: string
  indexName: string
}
export interface ColumnsToGetMsg {
  returnType: number
  columnNames: string[]
}
export interface SearchRequestMsg {
  tableName: string
  indexName: string
  columnsToGet?: ColumnsToGetMsg
  searchQuery: Uint8Array
  routingValues: Uint8Array[]
  timeoutMs?: number
}
export interface SearchQueryMsg {
  offset?: number
  limit?: number
  query?: QueryMsg
  collapse?: { fieldName: string }
  sort?: SortMsg
  getTotalCount?: boolean
  token?: Uint8Array
  aggs?: AggregationsMsg
  groupBys?: GroupBysMsg
  highlight?: HighlightMsg
}
/** `Aggregation` / `GroupBy`: a name, a type and the type's own message as bytes. */
export interface NamedBodyMsg {
  name?: string
  type?: number
  body?: Uint8Array
}
export interface AggregationsMsg {
  aggs: NamedBodyMsg[]
}
export interface GroupBysMsg {
  groupBys: NamedBodyMsg[]
}
export interface FieldAggregationMsg {
  fieldName?: string
  missing?: Uint8Array
}
export interface TopRowsAggregationMsg {
  limit?: number
  sort?: SortMsg
}
export interface GroupBySortMsg {
  sorters: {
    groupKeySort?: { order?: number }
    rowCountSort?: { order?: number }
    subAggSort?: { subAggName?: string; order?: number }
  }[]
}
export interface SubAggsMsg {
  subAggs?: AggregationsMsg
  subGroupBys?: GroupBysMsg
}
export interface GroupByFieldMsg extends SubAggsMsg {
  fieldName?: string
  size?: number
  sort?: GroupBySortMsg
  minDocCount?: Int64Like
}
export interface GroupByRangeMsg extends SubAggsMsg {
  fieldName?: string
  ranges: { from?: number; to?: number }[]
}
export interface GroupByFilterMsg extends SubAggsMsg {
  filters: QueryMsg[]
}
export interface GroupByHistogramMsg extends SubAggsMsg {
  fieldName?: string
  interval?: Uint8Array
  missing?: Uint8Array
  minDocCount?: Int64Like
  sort?: GroupBySortMsg
  fieldRange?: { min?: Uint8Array; max?: Uint8Array }
  offset?: Uint8Array
}
export interface HighlightParameterMsg {
  fieldName: string
  numberOfFragments?: number
  fragmentSize?: number
  preTag?: string
  postTag?: string
  fragmentsOrder?: number
}
export interface HighlightMsg {
  highlightParameters: HighlightParameterMsg[]
  highlightEncoder?: number
}
export interface ScanQueryMsg {
  query?: QueryMsg
  limit?: number
  aliveTime?: number
  token?: Uint8Array
  currentParallelId?: number
  maxParallel?: number
}
export interface ComputeSplitsRequestMsg {
  tableName: string
  searchIndexSplitsOptions?: { indexName: string }
}
export interface ParallelScanRequestMsg {
  tableName: string
  indexName: string
  columnsToGet?: ColumnsToGetMsg
  sessionId?: Uint8Array
  scanQuery?: ScanQueryMsg
  timeoutMs?: number
}
