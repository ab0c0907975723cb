/**
 * @module Facets and grouped searches as Tablestore search-index aggregations, and their results
 * read back: counts come from GroupBy, never from reading every matching row.
 *
 * - A `terms` facet is a GroupByField on the field, its groups sorted by row count descending,
 *   then key ascending (GroupBySort: RowCountSort, GroupKeySort), `size` of them.
 *   https://www.alibabacloud.com/help/en/tablestore/developer-reference/groupbyfield
 * - A `day` facet is two requests: Min and Max aggregations of the field bound the matches'
 *   days, then one GroupByRange with a `[start, next start)` range per calendar day of the zone
 *   (ranges are left-closed, right-open), so days follow the zone's daylight saving exactly.
 *   https://www.alibabacloud.com/help/en/tablestore/developer-reference/groupbyrange
 * - A grouped search is a GroupByField on the group field, sorted by a Max sub-aggregation of the
 *   first sort field (SubAggSort), then key ascending, with a TopRows sub-aggregation of one row
 *   under the request's sort: the group's first document.
 *
 * GroupByField returns at most 2,000 groups (the page above): a grouped search sees the 2,000
 * groups first in its order, and {@link MAX_FACET_DAYS} bounds a `day` facet's span. The README
 * says so.
 */
import type { FacetCounts, FacetRequest, FacetValue } from '../../src/ports/facets.ts'
import { compareFacetValues } from '../../src/ports/facets.ts'
import type { Sort } from '../../src/query/sort.ts'
import { dateOf, formatDate, nextDate, startOfDay } from '../../src/query/time-zone.ts'
import { TablestoreLimitError } from './errors.ts'
import { searchColumn } from './index-fields.ts'
import type { SdkRow, SdkSearchResult } from './sdk.ts'
import { SortOrder } from './sdk-constants.ts'
import { compileSort } from './sort-compiler.ts'

/** `TableStore.AggregationType` (checked against the SDK by the constants' unit test). */
export const AggregationType = { AGG_MAX: 2, AGG_MIN: 3, AGG_TOP_ROWS: 7 } as const
/** `TableStore.GroupByType` */
export const GroupByType = { GROUP_BY_FIELD: 1, GROUP_BY_RANGE: 2 } as const

/** GroupByField's `size` cap: "Maximum value: 2000" (GroupByField reference, above). */
export const MAX_GROUPS = 2000
/** Days a `day` facet may span: one GroupByRange range each, kept to GroupByField's group cap. */
export const MAX_FACET_DAYS = 2000

export interface TsAggregation {
  name: string
  type: number
  body: Record<string, unknown>
}
export interface TsGroupBy {
  name: string
  type: number
  body: Record<string, unknown>
}

const BY_COUNT_THEN_KEY = {
  sorters: [
    { rowCountSort: { order: SortOrder.SORT_ORDER_DESC } },
    { groupKeySort: { order: SortOrder.SORT_ORDER_ASC } },
  ],
}

/** The GroupByFields of the `terms` facets. */
export function termsGroupBys(facets: Readonly<Record<string, FacetRequest>>): TsGroupBy[] {
  return Object.entries(facets).flatMap(([name, f]) =>
    f.kind === 'terms'
      ? [
          {
            name,
            type: GroupByType.GROUP_BY_FIELD,
            body: {
              fieldName: searchColumn(f.field),
              size: Math.min(f.size, MAX_GROUPS),
              sort: BY_COUNT_THEN_KEY,
            },
          },
        ]
      : [],
  )
}

/** Min and Max of the `day` facets' fields: the first of a day facet's two requests. */
export function dayBoundsAggregations(facets: Readonly<Record<string, FacetRequest>>): TsAggregation[] {
  return Object.entries(facets).flatMap(([name, f]) =>
    f.kind === 'day'
      ? [
          { name: `${name}.min`, type: AggregationType.AGG_MIN, body: { fieldName: searchColumn(f.field) } },
          { name: `${name}.max`, type: AggregationType.AGG_MAX, body: { fieldName: searchColumn(f.field) } },
        ]
      : [],
  )
}

/** A day of a zone as a left-closed, right-open range of instants. */
interface DayRange {
  day: string
  from: number
  to: number
}

/** Every day of `timeZone` from the one holding `min` to the one holding `max`. */
export function dayRanges(name: string, min: number, max: number, timeZone: string): DayRange[] {
  const out: DayRange[] = []
  let date = dateOf(min, timeZone)
  const last = formatDate(dateOf(max, timeZone))
  for (;;) {
    const from = startOfDay(date, timeZone)
    const next = nextDate(date)
    const day = formatDate(date)
    out.push({ day, from, to: startOfDay(next, timeZone) })
    if (day === last) break
    if (out.length >= MAX_FACET_DAYS)
      throw new TablestoreLimitError(
        `the ${name} facet spans more than ${MAX_FACET_DAYS} days; narrow the search with dates`,
      )
    date = next
  }
  return out
}

/** The GroupByRange of a `day` facet, one range per day. */
export function dayGroupBy(name: string, field: string, days: readonly DayRange[]): TsGroupBy {
  return {
    name,
    type: GroupByType.GROUP_BY_RANGE,
    body: { fieldName: searchColumn(field), ranges: days.map((d) => ({ from: d.from, to: d.to })) },
  }
}

/** A GroupByField or GroupByRange item as the SDK decodes it. */
export interface GroupItem {
  key?: string
  from?: number
  rowCount?: unknown
  subAggsResult?: { aggResults: { name: string; aggResult: { rows?: SdkRow[] } }[] }
}

/** The SDK's group-by results' items, by name. */
export function groupByResults(result: SdkSearchResult): Map<string, GroupItem[]> {
  return new Map(
    (result.groupBys?.groupByResults ?? []).map((g) => [
      g.name,
      (g.groupByResult as { items?: GroupItem[] }).items ?? [],
    ]),
  )
}

/** Min/Max results by name; an empty match set has no values (infinite). */
export function aggregationValues(result: SdkSearchResult): Map<string, number> {
  return new Map(
    (result.aggs?.aggResults ?? []).map((a) => [a.name, Number((a.aggResult as { value?: number }).value)]),
  )
}

/** A terms facet's values, as GroupByField returned them (already in the port's order). */
export function termsValues(items: readonly { key?: string; rowCount?: unknown }[]): FacetValue[] {
  return items.map((item) => ({ value: String(item.key), count: Number(item.rowCount) }))
}

/** A day facet's values: the non-empty days, by count then day, cut to `size`. */
export function dayValues(
  items: readonly { from?: number; rowCount?: unknown }[],
  days: readonly DayRange[],
  size: number,
): FacetValue[] {
  const byStart = new Map(days.map((d) => [d.from, d.day]))
  return items
    .map((item) => ({ value: byStart.get(Number(item.from)) ?? '', count: Number(item.rowCount) }))
    .filter((v) => v.count > 0 && v.value !== '')
    .sort(compareFacetValues)
    .slice(0, size)
}

/** Every requested facet with no values (a request that matches nothing). */
export function emptyFacets(facets: Readonly<Record<string, FacetRequest>>): FacetCounts {
  return Object.fromEntries(Object.keys(facets).map((name) => [name, []]))
}

/** The name of the Max and TopRows sub-aggregations of a grouped search. */
export const LATEST = 'latest'
export const TOP = 'top'

/** The GroupByField of a grouped search; `sort[0]` must be a field sort (the port's rule). */
export function groupedGroupBy(field: string, sort: readonly Sort[]): TsGroupBy {
  const first = sort[0]
  if (!first || !('field' in first))
    throw new Error('[im-search] [tablestore] a grouped search sorts by a field first')
  const order = first.field.order === 'desc' ? SortOrder.SORT_ORDER_DESC : SortOrder.SORT_ORDER_ASC
  const extreme = first.field.order === 'desc' ? AggregationType.AGG_MAX : AggregationType.AGG_MIN
  return {
    name: 'groups',
    type: GroupByType.GROUP_BY_FIELD,
    body: {
      fieldName: searchColumn(field),
      size: MAX_GROUPS,
      sort: {
        sorters: [
          { subAggSort: { subAggName: LATEST, order } },
          { groupKeySort: { order: SortOrder.SORT_ORDER_ASC } },
        ],
      },
      subAggs: {
        aggs: [
          { name: LATEST, type: extreme, body: { fieldName: searchColumn(first.field.name) } },
          { name: TOP, type: AggregationType.AGG_TOP_ROWS, body: { limit: 1, sort: compileSort(sort) } },
        ],
      },
    },
  }
}

/** A grouped search's page token: how many groups earlier pages showed, on which generation. */
export function encodeGroupToken(offset: number, generation: number): string {
  return Buffer.from(JSON.stringify({ o: offset, g: generation })).toString('base64url')
}

/** The offset and generation of a grouped page token; undefined when it is not one of ours. */
export function decodeGroupToken(token: string): { offset: number; generation: number } | undefined {
  try {
    const { o, g } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown
      g?: unknown
    }
    if (Number.isInteger(o) && (o as number) > 0 && Number.isInteger(g))
      return { offset: o as number, generation: g as number }
  } catch {
    // not JSON: not ours
  }
  return undefined
}
