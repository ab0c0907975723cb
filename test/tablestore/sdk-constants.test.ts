/** @module The adapter's copies of the SDK's enums equal the installed `tablestore` SDK's. */
import { describe, expect, it } from 'vitest'
import { AggregationType, GroupByType } from '../../adapters/tablestore/aggregation-compiler.ts'
import { loadSdk } from '../../adapters/tablestore/sdk.ts'
import * as C from '../../adapters/tablestore/sdk-constants.ts'

describe('sdk constants', () => {
  const sdk = loadSdk() as unknown as Record<string, Record<string, unknown>>
  it.each([
    ['QueryType', C.QueryType],
    ['ScoreMode', C.ScoreMode],
    ['SortOrder', C.SortOrder],
    ['QueryOperator', C.QueryOperator],
    ['ColumnReturnType', C.ColumnReturnType],
    ['FieldType', C.FieldType],
    ['PrimaryKeyType', C.PrimaryKeyType],
    ['DefinedColumnType', C.DefinedColumnType],
    ['RowExistenceExpectation', C.RowExistence],
    ['ReturnType', C.ReturnType],
    ['Direction', C.Direction],
    ['AggregationType', AggregationType],
    ['GroupByType', GroupByType],
  ] as const)('%s', (name, copy) => {
    for (const [key, value] of Object.entries(copy)) expect(sdk[name]?.[key], `${name}.${key}`).toBe(value)
  })
})
