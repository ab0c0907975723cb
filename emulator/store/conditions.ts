/**
 * @module Row-existence expectations and column conditions / filters (`filter.proto`).
 *
 * Used both as write conditions (failing gives OTSConditionCheckFail) and as read filters
 * (GetRow, GetRange, BatchGetRow skip rows that do not pass).
 */
import { conditionFailed, invalidParameter } from '../errors.ts'
import type { StoredRow } from '../model/row.ts'
import type { Value } from '../model/values.ts'
import { compareValues } from '../model/values.ts'
import { readVariant } from '../plainbuffer/reader.ts'
import type {
  ColumnPaginationFilterMsg,
  CompositeColumnValueFilterMsg,
  ConditionMsg,
  FilterMsg,
  SingleColumnValueFilterMsg,
} from '../protocol/messages.ts'
import { decodeAs, filterMessage } from '../protocol/proto.ts'

export type ColumnFilter =
  | {
      readonly kind: 'single'
      readonly comparator: number
      readonly column: string
      readonly value: Value
      readonly filterIfMissing: boolean
    }
  | { readonly kind: 'composite'; readonly combinator: number; readonly children: readonly ColumnFilter[] }
  | { readonly kind: 'pagination'; readonly offset: number; readonly limit: number }

const FT_SINGLE = 1
const FT_COMPOSITE = 2
const FT_PAGINATION = 3
const LO_NOT = 1
const LO_AND = 2
const LO_OR = 3

/** Decodes an encoded `Filter` message into a filter tree. */
export function decodeFilter(bytes: Uint8Array): ColumnFilter {
  return fromMsg(decodeAs<FilterMsg>(filterMessage('Filter'), bytes))
}

function fromMsg(msg: FilterMsg): ColumnFilter {
  switch (msg.type) {
    case FT_SINGLE: {
      const f = decodeAs<SingleColumnValueFilterMsg>(filterMessage('SingleColumnValueFilter'), msg.filter)
      if (f.comparator < 1 || f.comparator > 6) throw invalidParameter(`Invalid comparator ${f.comparator}.`)
      return {
        kind: 'single',
        comparator: f.comparator,
        column: f.columnName,
        value: readVariant(f.columnValue),
        filterIfMissing: f.filterIfMissing,
      }
    }
    case FT_COMPOSITE: {
      const f = decodeAs<CompositeColumnValueFilterMsg>(
        filterMessage('CompositeColumnValueFilter'),
        msg.filter,
      )
      const children = f.subFilters.map(fromMsg)
      if (f.combinator === LO_NOT && children.length !== 1)
        throw invalidParameter('The NOT combinator takes exactly one sub-condition.')
      if (f.combinator !== LO_NOT && children.length < 2)
        throw invalidParameter('AND and OR combinators take at least two sub-conditions.')
      return { kind: 'composite', combinator: f.combinator, children }
    }
    case FT_PAGINATION: {
      const f = decodeAs<ColumnPaginationFilterMsg>(filterMessage('ColumnPaginationFilter'), msg.filter)
      return { kind: 'pagination', offset: f.offset, limit: f.limit }
    }
    default:
      throw invalidParameter(`Unknown filter type ${msg.type}.`)
  }
}

/**
 * Evaluates a value filter on a row. Values of a different type than the condition's never
 * compare equal (so NOT_EQUAL passes and ordering comparisons fail). Pagination filters pass.
 */
export function rowPasses(filter: ColumnFilter, row: StoredRow | undefined): boolean {
  switch (filter.kind) {
    case 'pagination':
      return true
    case 'composite': {
      if (filter.combinator === LO_NOT) return !filter.children.every((c) => rowPasses(c, row))
      if (filter.combinator === LO_AND) return filter.children.every((c) => rowPasses(c, row))
      if (filter.combinator === LO_OR) return filter.children.some((c) => rowPasses(c, row))
      throw invalidParameter(`Unknown logical operator ${filter.combinator}.`)
    }
    case 'single': {
      const actual = columnValue(row, filter.column)
      if (actual === undefined) return !filter.filterIfMissing
      if (actual.kind !== filter.value.kind) return filter.comparator === 2
      const c = compareValues(actual, filter.value)
      switch (filter.comparator) {
        case 1:
          return c === 0
        case 2:
          return c !== 0
        case 3:
          return c > 0
        case 4:
          return c >= 0
        case 5:
          return c < 0
        default:
          return c <= 0
      }
    }
  }
}

function columnValue(row: StoredRow | undefined, name: string): Value | undefined {
  if (!row) return undefined
  return row.columns.get(name)?.value ?? row.pk.find((c) => c.name === name)?.value
}

/** Finds a top-level column pagination filter (it selects columns rather than rows). */
export function paginationOf(
  filter: ColumnFilter | undefined,
): { offset: number; limit: number } | undefined {
  return filter?.kind === 'pagination' ? filter : undefined
}

const IGNORE = 0
const EXPECT_EXIST = 1
const EXPECT_NOT_EXIST = 2

/**
 * "You can specify up to 10 column-based conditions for a conditional update" (Conditional
 * update, https://www.alibabacloud.com/help/doc-detail/84767.html; the Node.js SDK's page,
 * https://alibabacloud.com/help/en/tablestore/developer-reference/configure-conditional-update-by-using-nodejs-sdk).
 * The error for more is not documented: the emulator answers OTSParameterInvalid, as for other
 * malformed conditions.
 */
export const MAX_COLUMN_CONDITIONS = 10

/** The single-column tests in a condition tree. */
function columnTests(filter: ColumnFilter): number {
  return filter.kind === 'composite' ? filter.children.reduce((n, c) => n + columnTests(c), 0) : 1
}

/** Checks a write condition against the current row; throws OTSConditionCheckFail when it fails. */
export function checkCondition(condition: ConditionMsg, existing: StoredRow | undefined): void {
  const expectation = condition.rowExistence
  if (expectation === EXPECT_EXIST && !existing) throw conditionFailed()
  if (expectation === EXPECT_NOT_EXIST && existing) throw conditionFailed()
  if (expectation !== IGNORE && expectation !== EXPECT_EXIST && expectation !== EXPECT_NOT_EXIST)
    throw invalidParameter(`Invalid row existence expectation ${expectation}.`)
  if (condition.columnCondition && condition.columnCondition.length > 0) {
    const filter = decodeFilter(condition.columnCondition)
    if (containsPagination(filter))
      throw invalidParameter('A column pagination filter is not a valid condition.')
    if (columnTests(filter) > MAX_COLUMN_CONDITIONS)
      throw invalidParameter(`A condition has at most ${MAX_COLUMN_CONDITIONS} column conditions.`)
    if (!rowPasses(filter, existing)) throw conditionFailed()
  }
}

function containsPagination(filter: ColumnFilter): boolean {
  return (
    filter.kind === 'pagination' || (filter.kind === 'composite' && filter.children.some(containsPagination))
  )
}
