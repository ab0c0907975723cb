/**
 * @module The `tablestore` SDK's enum numbers, copied so that the query compiler and the schema
 * builders stay pure (no SDK load, no network) and unit tests can assert exact objects. A unit
 * test (`test/tablestore/sdk-constants.test.ts`) checks every value against the installed SDK.
 */

/** `TableStore.QueryType` */
export const QueryType = {
  MATCH_QUERY: 1,
  MATCH_PHRASE_QUERY: 2,
  TERM_QUERY: 3,
  RANGE_QUERY: 4,
  PREFIX_QUERY: 5,
  BOOL_QUERY: 6,
  CONST_SCORE_QUERY: 7,
  FUNCTION_SCORE_QUERY: 8,
  NESTED_QUERY: 9,
  WILDCARD_QUERY: 10,
  MATCH_ALL_QUERY: 11,
  GEO_BOUNDING_BOX_QUERY: 12,
  GEO_DISTANCE_QUERY: 13,
  GEO_POLYGON_QUERY: 14,
  TERMS_QUERY: 15,
  EXISTS_QUERY: 16,
} as const

/** `TableStore.ScoreMode` (nested queries). */
export const ScoreMode = {
  SCORE_MODE_NONE: 1,
  SCORE_MODE_AVG: 2,
  SCORE_MODE_MAX: 3,
  SCORE_MODE_TOTAL: 4,
  SCORE_MODE_MIN: 5,
} as const

/** `TableStore.SortOrder` */
export const SortOrder = { SORT_ORDER_ASC: 0, SORT_ORDER_DESC: 1 } as const

/** `TableStore.QueryOperator` (match). */
export const QueryOperator = { OR: 1, AND: 2 } as const

/** `TableStore.ColumnReturnType` (search `columnToGet`). */
export const ColumnReturnType = {
  RETURN_ALL: 1,
  RETURN_SPECIFIED: 2,
  RETURN_NONE: 3,
  RETURN_ALL_FROM_INDEX: 4,
} as const

/** `TableStore.FieldType` (search index schemas). */
export const FieldType = {
  LONG: 1,
  DOUBLE: 2,
  BOOLEAN: 3,
  KEYWORD: 4,
  TEXT: 5,
  NESTED: 6,
  GEO_POINT: 7,
} as const

/** `TableStore.PrimaryKeyType` (CreateTable). */
export const PrimaryKeyType = { INTEGER: 1, STRING: 2, BINARY: 3 } as const

/** `TableStore.DefinedColumnType` (CreateTable defined columns, for secondary indexes). */
export const DefinedColumnType = { DCT_INTEGER: 1, DCT_DOUBLE: 2, DCT_BOOLEAN: 3, DCT_STRING: 4 } as const

/** `TableStore.RowExistenceExpectation` */
export const RowExistence = { IGNORE: 0, EXPECT_EXIST: 1, EXPECT_NOT_EXIST: 2 } as const

/** `TableStore.ReturnType` */
export const ReturnType = { NONE: 0, Primarykey: 1, AfterModify: 2 } as const

/** `TableStore.Direction` (GetRange). */
export const Direction = { FORWARD: 'FORWARD', BACKWARD: 'BACKWARD' } as const

/** `SyncPhase` of DescribeSearchIndex's sync stat: copying the rows that existed, then following writes. */
export const SyncPhase = { FULL: 1, INCR: 2 } as const
