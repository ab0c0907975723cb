/**
 * @module Aggregations and GroupBy over every row a search matched (not only the returned page), as
 * the SDK 5.6.5 encodes them (`SearchQuery.aggs` / `group_bys`: name, type and the type's message as
 * bytes) and decodes the answers (`SearchResponse.aggs` / `group_bys`: `AggregationsResult` /
 * `GroupBysResult` bytes).
 *
 * Supported, from Tablestore's pages:
 * - metrics (aggregation for Java, https://www.alibabacloud.com/help/en/tablestore/developer-reference/java-aggregation;
 *   Python, https://www.alibabacloud.com/help/en/tablestore/developer-reference/python-sdk-aggregation):
 *   min, max, sum, avg (LONG/DOUBLE fields, `missing` stands in for rows without a value), count
 *   ("the number of rows in which a specified field has a value"), distinct count (`missing` counts
 *   as a value), TopRows (only inside a group: "the top rows sorted in each group as a
 *   sub-aggregation");
 * - GroupByField (https://www.alibabacloud.com/help/en/tablestore/developer-reference/groupbyfield):
 *   `size` default 10, maximum 2000; sorted by row count descending unless `sort` says otherwise
 *   (GroupBySorter, https://www.alibabacloud.com/help/en/tablestore/developer-reference/groupbysorter:
 *   group key, row count or a sub-aggregation, applied in order); `min_doc_count`; sub-aggregations
 *   and sub-group-bys per group;
 * - GroupByRange (`[from, to)` per range, in request order), GroupByFilter (one item per filter
 *   query, in request order), GroupByHistogram (buckets of `interval` from `offset`, within
 *   `field_range`, key ascending by default, `min_doc_count`).
 * Every field aggregated on needs `enable_sort_and_agg` ("field:xx must enable enable_sort_and_agg",
 * https://www.alibabacloud.com/help/en/tablestore/support/what-do-i-do-if-the-field-xx-must-enable-enable-sort-and-agg-error-message-is-returned-when-i-use-a-search-index);
 * names must be unique within their level (Python page: "each name in a request must be unique").
 *
 * Where the docs are silent the emulator chooses, and says so in the README: min/max/avg of no
 * values answer +Infinity/-Infinity/NaN and sum 0; a GroupByField key is the value's text
 * (`10`, `1.5`, `true`); a histogram returns only non-empty buckets; a group-by `size` over 2000 is
 * refused rather than cut; ties in a group order fall back to the key ascending; TopRows `limit`
 * defaults to 1 and may be at most 100, and its rows carry every column.
 * GroupByDateHistogram needs a DATE field (which the emulator refuses), and Percentiles,
 * GroupByGeoDistance, GroupByGeoGrid and GroupByComposite are refused as not implemented.
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { Value } from '../model/values.ts'
import { readVariant } from '../plainbuffer/reader.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import { writeRow, writeVariant } from '../plainbuffer/writer.ts'
import type {
  AggregationsMsg,
  FieldAggregationMsg,
  GroupByFieldMsg,
  GroupByFilterMsg,
  GroupByHistogramMsg,
  GroupByRangeMsg,
  GroupBySortMsg,
  GroupBysMsg,
  NamedBodyMsg,
  SortMsg,
  SubAggsMsg,
  TopRowsAggregationMsg,
} from '../protocol/messages.ts'
import { decodeAs, encodeMessage, has, int64ToNumber, searchMessage } from '../protocol/proto.ts'
import type { CorpusStats } from './corpus-stats.ts'
import type { IndexedDoc } from './documents.ts'
import type { QueryNode } from './query.ts'
import { evaluate } from './query-eval.ts'
import type { FieldSpec, FieldType, SearchSchema } from './schema.ts'
import type { SortSpec } from './sort-spec.ts'
import type { Hit } from './sorting.ts'
import { compareKeys, compareParts, fieldValues, sortKey } from './sorting.ts'

const MAX_GROUP_BY_FIELD_SIZE = 2000
const DEFAULT_GROUP_BY_FIELD_SIZE = 10
const MAX_TOP_ROWS = 100

const AGG = { AVG: 1, MAX: 2, MIN: 3, SUM: 4, COUNT: 5, DISTINCT_COUNT: 6, TOP_ROWS: 7, PERCENTILES: 8 }
const GROUP_BY = {
  FIELD: 1,
  RANGE: 2,
  FILTER: 3,
  GEO_DISTANCE: 4,
  HISTOGRAM: 5,
  DATE_HISTOGRAM: 6,
  GEO_GRID: 7,
  COMPOSITE: 8,
}
const NUMERIC: readonly FieldType[] = ['LONG', 'DOUBLE']
const COUNTABLE: readonly FieldType[] = ['LONG', 'DOUBLE', 'BOOLEAN', 'KEYWORD', 'GEO_POINT']
const GROUPABLE: readonly FieldType[] = ['LONG', 'DOUBLE', 'BOOLEAN', 'KEYWORD']

type Scalar = bigint | number | boolean | string

type Metric = 'avg' | 'max' | 'min' | 'sum'

type AggNode =
  | { kind: Metric; name: string; type: number; field: FieldSpec; missing?: number }
  | { kind: 'count'; name: string; type: number; field: FieldSpec }
  | { kind: 'distinct'; name: string; type: number; field: FieldSpec; missing?: Scalar }
  | { kind: 'top_rows'; name: string; type: number; limit: number; sort: readonly SortSpec[] }

interface GroupSorter {
  readonly by: 'key' | 'count' | 'sub'
  readonly desc: boolean
  readonly sub?: string
}

interface Subs {
  readonly aggs: readonly AggNode[]
  readonly groupBys: readonly GroupNode[]
}

type GroupNode =
  | {
      kind: 'field'
      name: string
      type: number
      field: FieldSpec
      size: number
      sort: readonly GroupSorter[]
      minDocCount: number
      subs: Subs
    }
  | {
      kind: 'range'
      name: string
      type: number
      field: FieldSpec
      ranges: { from: number; to: number }[]
      subs: Subs
    }
  | { kind: 'filter'; name: string; type: number; filters: readonly QueryNode[]; subs: Subs }
  | {
      kind: 'histogram'
      name: string
      type: number
      field: FieldSpec
      interval: number
      offset: number
      missing?: number
      min?: number
      max?: number
      minDocCount: number
      sort: readonly GroupSorter[]
      subs: Subs
    }

/** What decoding needs beyond the schema: the query and sort decoders of the Search operation. */
export interface AggDecoders {
  readonly schema: SearchSchema
  readonly query: (msg: NonNullable<GroupByFilterMsg['filters'][number]>) => QueryNode
  readonly sort: (msg: SortMsg) => SortSpec[]
}

/** What evaluating needs: corpus statistics for filters and scores, and the current row of a hit. */
export interface AggContext {
  readonly stats: CorpusStats
  readonly rowOf: (doc: IndexedDoc) => OutRow
}

function aggField(
  d: AggDecoders,
  name: string | undefined,
  allowed: readonly FieldType[],
  what: string,
): FieldSpec {
  const field = name ? d.schema.byPath.get(name) : undefined
  if (!name || !field)
    throw invalidParameter(`${what}: field ${name ?? '(none)'} does not exist in the search index.`)
  if (field.nestedParent !== undefined) throw unsupported(`${what} on a field inside a NESTED field`)
  if (!allowed.includes(field.type))
    throw invalidParameter(`${what} does not support field ${name} of type ${field.type}.`)
  if (!field.sortable)
    throw invalidParameter(
      `Search engine: [${what}] field:${name} must enable enable_sort_and_agg, but enable_sort_and_agg is not enabled`,
    )
  return field
}

function uniqueNames(items: readonly NamedBodyMsg[], what: string): void {
  const seen = new Set<string>()
  for (const item of items) {
    if (!item.name) throw invalidParameter(`Every ${what} needs a name.`)
    if (seen.has(item.name)) throw invalidParameter(`Duplicated ${what} name: ${item.name}.`)
    seen.add(item.name)
  }
}

function scalarOf(value: Value, field: FieldSpec, what: string): Scalar {
  const ok =
    (field.type === 'LONG' && value.kind === 'INTEGER') ||
    (field.type === 'DOUBLE' && (value.kind === 'DOUBLE' || value.kind === 'INTEGER')) ||
    (field.type === 'BOOLEAN' && value.kind === 'BOOLEAN') ||
    (field.type === 'KEYWORD' && value.kind === 'STRING')
  if (!ok) throw invalidParameter(`${what} on ${field.type} field ${field.path} got a ${value.kind} value.`)
  return value.value
}

function numberOf(bytes: Uint8Array | undefined, field: FieldSpec, what: string): number | undefined {
  if (!bytes || bytes.length === 0) return undefined
  return Number(scalarOf(readVariant(bytes), field, what))
}

/** Decodes and checks `aggs`; TopRows only where `inGroup`. */
export function decodeAggs(msg: AggregationsMsg | undefined, d: AggDecoders, inGroup = false): AggNode[] {
  const items = msg?.aggs ?? []
  uniqueNames(items, 'aggregation')
  return items.map((item): AggNode => {
    const name = item.name as string
    const type = item.type ?? 0
    const body = item.body ?? new Uint8Array()
    const metric = (kind: Metric, message: string, what: string): AggNode => {
      const m = decodeAs<FieldAggregationMsg>(searchMessage(message), body)
      const field = aggField(d, m.fieldName, NUMERIC, what)
      const missing = numberOf(has(m, 'missing') ? m.missing : undefined, field, `${what} missing`)
      return { kind, name, type, field, ...(missing === undefined ? {} : { missing }) }
    }
    switch (type) {
      case AGG.AVG:
        return metric('avg', 'AvgAggregation', 'avg')
      case AGG.MAX:
        return metric('max', 'MaxAggregation', 'max')
      case AGG.MIN:
        return metric('min', 'MinAggregation', 'min')
      case AGG.SUM:
        return metric('sum', 'SumAggregation', 'sum')
      case AGG.COUNT: {
        const m = decodeAs<FieldAggregationMsg>(searchMessage('CountAggregation'), body)
        return { kind: 'count', name, type, field: aggField(d, m.fieldName, COUNTABLE, 'count') }
      }
      case AGG.DISTINCT_COUNT: {
        const m = decodeAs<FieldAggregationMsg>(searchMessage('DistinctCountAggregation'), body)
        const field = aggField(d, m.fieldName, GROUPABLE, 'distinct_count')
        const bytes = has(m, 'missing') ? m.missing : undefined
        const missing =
          bytes && bytes.length > 0
            ? scalarOf(readVariant(bytes), field, 'distinct_count missing')
            : undefined
        return { kind: 'distinct', name, type, field, ...(missing === undefined ? {} : { missing }) }
      }
      case AGG.TOP_ROWS: {
        if (!inGroup) throw invalidParameter('TopRows is only allowed as a sub-aggregation of a group-by.')
        const m = decodeAs<TopRowsAggregationMsg>(searchMessage('TopRowsAggregation'), body)
        const limit = has(m, 'limit') ? (m.limit ?? 1) : 1
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TOP_ROWS)
          throw invalidParameter(`TopRows limit must be in [1, ${MAX_TOP_ROWS}], got ${limit}.`)
        const sort =
          m.sort && m.sort.sorter.length > 0 ? d.sort(m.sort) : [{ kind: 'pk' as const, desc: false }]
        return { kind: 'top_rows', name, type, limit, sort }
      }
      case AGG.PERCENTILES:
        throw unsupported('PercentilesAggregation')
      default:
        throw invalidParameter(`Unknown aggregation type ${type}.`)
    }
  })
}

function decodeGroupSort(
  msg: GroupBySortMsg | undefined,
  subs: Subs,
  fallback: GroupSorter[],
): GroupSorter[] {
  if (!msg || msg.sorters.length === 0) return fallback
  return msg.sorters.map((s): GroupSorter => {
    if (s.groupKeySort) return { by: 'key', desc: s.groupKeySort.order === 1 }
    if (s.rowCountSort) return { by: 'count', desc: s.rowCountSort.order === 1 }
    if (s.subAggSort) {
      const sub = s.subAggSort.subAggName
      const target = subs.aggs.find((a) => a.name === sub)
      if (!target || target.kind === 'top_rows')
        throw invalidParameter(
          `SubAggSort names ${sub ?? '(none)'}, which is not a metric sub-aggregation of the group-by.`,
        )
      return { by: 'sub', desc: s.subAggSort.order === 1, sub }
    }
    throw invalidParameter('A group-by sorter must set group_key_sort, row_count_sort or sub_agg_sort.')
  })
}

function decodeSubs(msg: SubAggsMsg, d: AggDecoders): Subs {
  return { aggs: decodeAggs(msg.subAggs, d, true), groupBys: decodeGroupBys(msg.subGroupBys, d) }
}

function minDocCountOf(msg: { minDocCount?: Parameters<typeof int64ToNumber>[0] }): number {
  const n = has(msg, 'minDocCount') ? int64ToNumber(msg.minDocCount) : 0
  if (n < 0) throw invalidParameter(`min_doc_count must be >= 0, got ${n}.`)
  return n
}

/** Decodes and checks `group_bys`. */
export function decodeGroupBys(msg: GroupBysMsg | undefined, d: AggDecoders): GroupNode[] {
  const items = msg?.groupBys ?? []
  uniqueNames(items, 'group-by')
  return items.map((item): GroupNode => {
    const name = item.name as string
    const type = item.type ?? 0
    const body = item.body ?? new Uint8Array()
    switch (type) {
      case GROUP_BY.FIELD: {
        const m = decodeAs<GroupByFieldMsg>(searchMessage('GroupByField'), body)
        const field = aggField(d, m.fieldName, GROUPABLE, 'groupby_field')
        const size = has(m, 'size') ? (m.size ?? DEFAULT_GROUP_BY_FIELD_SIZE) : DEFAULT_GROUP_BY_FIELD_SIZE
        if (!Number.isInteger(size) || size < 1 || size > MAX_GROUP_BY_FIELD_SIZE)
          throw invalidParameter(`GroupByField size must be in [1, ${MAX_GROUP_BY_FIELD_SIZE}], got ${size}.`)
        const subs = decodeSubs(m, d)
        const sort = decodeGroupSort(m.sort, subs, [{ by: 'count', desc: true }])
        return { kind: 'field', name, type, field, size, sort, minDocCount: minDocCountOf(m), subs }
      }
      case GROUP_BY.RANGE: {
        const m = decodeAs<GroupByRangeMsg>(searchMessage('GroupByRange'), body)
        const field = aggField(d, m.fieldName, NUMERIC, 'groupby_range')
        if (m.ranges.length === 0) throw invalidParameter('GroupByRange needs at least one range.')
        const ranges = m.ranges.map((r) => ({
          from: has(r, 'from') ? (r.from ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY,
          to: has(r, 'to') ? (r.to ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY,
        }))
        return { kind: 'range', name, type, field, ranges, subs: decodeSubs(m, d) }
      }
      case GROUP_BY.FILTER: {
        const m = decodeAs<GroupByFilterMsg>(searchMessage('GroupByFilter'), body)
        if (m.filters.length === 0) throw invalidParameter('GroupByFilter needs at least one filter.')
        return { kind: 'filter', name, type, filters: m.filters.map(d.query), subs: decodeSubs(m, d) }
      }
      case GROUP_BY.HISTOGRAM: {
        const m = decodeAs<GroupByHistogramMsg>(searchMessage('GroupByHistogram'), body)
        const field = aggField(d, m.fieldName, NUMERIC, 'groupby_histogram')
        const interval = numberOf(
          has(m, 'interval') ? m.interval : undefined,
          field,
          'GroupByHistogram interval',
        )
        if (interval === undefined || !(interval > 0))
          throw invalidParameter('GroupByHistogram needs an interval > 0.')
        const missing = numberOf(has(m, 'missing') ? m.missing : undefined, field, 'GroupByHistogram missing')
        const min = numberOf(m.fieldRange?.min, field, 'GroupByHistogram field_range')
        const max = numberOf(m.fieldRange?.max, field, 'GroupByHistogram field_range')
        const subs = decodeSubs(m, d)
        return {
          kind: 'histogram',
          name,
          type,
          field,
          interval,
          offset: numberOf(has(m, 'offset') ? m.offset : undefined, field, 'GroupByHistogram offset') ?? 0,
          ...(missing === undefined ? {} : { missing }),
          ...(min === undefined ? {} : { min }),
          ...(max === undefined ? {} : { max }),
          minDocCount: minDocCountOf(m),
          sort: decodeGroupSort(m.sort, subs, [{ by: 'key', desc: false }]),
          subs,
        }
      }
      case GROUP_BY.DATE_HISTOGRAM:
        throw unsupported('GroupByDateHistogram (it needs a DATE field)')
      case GROUP_BY.GEO_DISTANCE:
        throw unsupported('GroupByGeoDistance')
      case GROUP_BY.GEO_GRID:
        throw unsupported('GroupByGeoGrid')
      case GROUP_BY.COMPOSITE:
        throw unsupported('GroupByComposite')
      default:
        throw invalidParameter(`Unknown group-by type ${type}.`)
    }
  })
}

// ---- evaluation ----

function valuesOf(hit: Hit, field: FieldSpec): Scalar[] {
  if (field.type !== 'GEO_POINT') return fieldValues(hit.doc.fields, field.path)
  const f = hit.doc.fields.get(field.path)
  return f?.type === 'GEO_POINT' ? f.values.map((p) => `${p.lat},${p.lon}`) : []
}

function numbersOf(hit: Hit, field: FieldSpec, missing: number | undefined): number[] {
  const values = valuesOf(hit, field).map(Number)
  return values.length === 0 && missing !== undefined ? [missing] : values
}

function metricValue(node: Extract<AggNode, { kind: Metric }>, hits: readonly Hit[]): number {
  const values = hits.flatMap((h) => numbersOf(h, node.field, node.missing))
  switch (node.kind) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0)
    case 'avg':
      return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length
    case 'max':
      return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)
    case 'min':
      return values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)
  }
}

const RESULT_MESSAGES: Record<AggNode['kind'], string> = {
  avg: 'AvgAggregationResult',
  max: 'MaxAggregationResult',
  min: 'MinAggregationResult',
  sum: 'SumAggregationResult',
  count: 'CountAggregationResult',
  distinct: 'DistinctCountAggregationResult',
  top_rows: 'TopRowsAggregationResult',
}

function aggResult(node: AggNode, hits: readonly Hit[], ctx: AggContext): object {
  switch (node.kind) {
    case 'count':
      return { value: hits.filter((h) => valuesOf(h, node.field).length > 0).length }
    case 'distinct': {
      const seen = new Set<string>()
      for (const h of hits) {
        const values = valuesOf(h, node.field)
        for (const v of values.length === 0 && node.missing !== undefined ? [node.missing] : values)
          seen.add(`${typeof v}:${String(v)}`)
      }
      return { value: seen.size }
    }
    case 'top_rows': {
      const keyed = hits.map((h) => ({ h, key: sortKey(node.sort, h.doc, h.score, ctx.stats) }))
      keyed.sort((a, b) => compareKeys(node.sort, a.key, b.key))
      return { rows: keyed.slice(0, node.limit).map(({ h }) => writeRow(ctx.rowOf(h.doc))) }
    }
    default:
      return { value: metricValue(node, hits) }
  }
}

function aggsResult(nodes: readonly AggNode[], hits: readonly Hit[], ctx: AggContext): object {
  return {
    aggResults: nodes.map((node) => ({
      name: node.name,
      type: node.type,
      aggResult: encodeMessage(searchMessage(RESULT_MESSAGES[node.kind]), aggResult(node, hits, ctx)),
    })),
  }
}

function subsResult(subs: Subs, hits: readonly Hit[], ctx: AggContext): object {
  return {
    ...(subs.aggs.length > 0 ? { subAggsResult: aggsResult(subs.aggs, hits, ctx) } : {}),
    ...(subs.groupBys.length > 0 ? { subGroupBysResult: groupBysResult(subs.groupBys, hits, ctx) } : {}),
  }
}

interface Bucket {
  readonly key: Scalar
  readonly hits: Hit[]
}

function orderBuckets(
  buckets: Bucket[],
  sort: readonly GroupSorter[],
  subs: Subs,
  ctx: AggContext,
): Bucket[] {
  const subValue = new Map<Bucket, Map<string, number>>()
  const metric = (b: Bucket, name: string): number => {
    let values = subValue.get(b)
    if (!values) {
      values = new Map()
      subValue.set(b, values)
    }
    const cached = values.get(name)
    if (cached !== undefined) return cached
    const node = subs.aggs.find((a) => a.name === name)
    const result = node ? (aggResult(node, b.hits, ctx) as { value?: number }).value : undefined
    const n = Number(result ?? Number.NaN)
    values.set(name, n)
    return n
  }
  return [...buckets].sort((a, b) => {
    for (const s of sort) {
      let c: number
      if (s.by === 'key') c = compareParts(a.key, b.key)
      else if (s.by === 'count') c = a.hits.length - b.hits.length
      else c = metric(a, s.sub ?? '') - metric(b, s.sub ?? '')
      if (c !== 0 && !Number.isNaN(c)) return s.desc ? -c : c
    }
    return compareParts(a.key, b.key)
  })
}

function fieldGroups(
  node: Extract<GroupNode, { kind: 'field' }>,
  hits: readonly Hit[],
  ctx: AggContext,
): object {
  const byKey = new Map<string, Bucket>()
  for (const h of hits)
    for (const v of new Set(valuesOf(h, node.field))) {
      const id = `${typeof v}:${String(v)}`
      const bucket = byKey.get(id) ?? { key: v, hits: [] }
      bucket.hits.push(h)
      byKey.set(id, bucket)
    }
  const kept = [...byKey.values()].filter((b) => b.hits.length >= node.minDocCount)
  const items = orderBuckets(kept, node.sort, node.subs, ctx)
    .slice(0, node.size)
    .map((b) => ({ key: String(b.key), rowCount: b.hits.length, ...subsResult(node.subs, b.hits, ctx) }))
  return { groupByFieldResultItems: items }
}

function rangeGroups(
  node: Extract<GroupNode, { kind: 'range' }>,
  hits: readonly Hit[],
  ctx: AggContext,
): object {
  const items = node.ranges.map(({ from, to }) => {
    const inside = hits.filter((h) => numbersOf(h, node.field, undefined).some((v) => v >= from && v < to))
    return { from, to, rowCount: inside.length, ...subsResult(node.subs, inside, ctx) }
  })
  return { groupByRangeResultItems: items }
}

function filterGroups(
  node: Extract<GroupNode, { kind: 'filter' }>,
  hits: readonly Hit[],
  ctx: AggContext,
): object {
  const items = node.filters.map((filter) => {
    const inside = hits.filter((h) => evaluate(filter, h.doc.fields, ctx.stats) !== undefined)
    return { rowCount: inside.length, ...subsResult(node.subs, inside, ctx) }
  })
  return { groupByFilterResultItems: items }
}

function histogramGroups(
  node: Extract<GroupNode, { kind: 'histogram' }>,
  hits: readonly Hit[],
  ctx: AggContext,
): object {
  const byKey = new Map<number, Bucket>()
  for (const h of hits) {
    const keys = new Set<number>()
    for (const v of numbersOf(h, node.field, node.missing)) {
      if ((node.min !== undefined && v < node.min) || (node.max !== undefined && v > node.max)) continue
      keys.add(Math.floor((v - node.offset) / node.interval) * node.interval + node.offset)
    }
    for (const key of keys) {
      const bucket = byKey.get(key) ?? { key, hits: [] }
      bucket.hits.push(h)
      byKey.set(key, bucket)
    }
  }
  const kept = [...byKey.values()].filter((b) => b.hits.length >= Math.max(1, node.minDocCount))
  const items = orderBuckets(kept, node.sort, node.subs, ctx).map((b) => ({
    key: writeVariant(
      node.field.type === 'LONG'
        ? { kind: 'INTEGER', value: BigInt(Math.round(Number(b.key))) }
        : { kind: 'DOUBLE', value: Number(b.key) },
    ),
    value: b.hits.length,
    ...subsResult(node.subs, b.hits, ctx),
  }))
  return { groupByHistogramItems: items }
}

const GROUP_RESULT_MESSAGES: Record<GroupNode['kind'], string> = {
  field: 'GroupByFieldResult',
  range: 'GroupByRangeResult',
  filter: 'GroupByFilterResult',
  histogram: 'GroupByHistogramResult',
}

function groupResult(node: GroupNode, hits: readonly Hit[], ctx: AggContext): object {
  switch (node.kind) {
    case 'field':
      return fieldGroups(node, hits, ctx)
    case 'range':
      return rangeGroups(node, hits, ctx)
    case 'filter':
      return filterGroups(node, hits, ctx)
    case 'histogram':
      return histogramGroups(node, hits, ctx)
  }
}

function groupBysResult(nodes: readonly GroupNode[], hits: readonly Hit[], ctx: AggContext): object {
  return {
    groupByResults: nodes.map((node) => ({
      name: node.name,
      type: node.type,
      groupByResult: encodeMessage(
        searchMessage(GROUP_RESULT_MESSAGES[node.kind]),
        groupResult(node, hits, ctx),
      ),
    })),
  }
}

/** `SearchResponse.aggs`: the encoded `AggregationsResult` over every hit. */
export function encodeAggs(nodes: readonly AggNode[], hits: readonly Hit[], ctx: AggContext): Uint8Array {
  return encodeMessage(searchMessage('AggregationsResult'), aggsResult(nodes, hits, ctx))
}

/** `SearchResponse.group_bys`: the encoded `GroupBysResult` over every hit. */
export function encodeGroupBys(
  nodes: readonly GroupNode[],
  hits: readonly Hit[],
  ctx: AggContext,
): Uint8Array {
  return encodeMessage(searchMessage('GroupBysResult'), groupBysResult(nodes, hits, ctx))
}
