/**
 * @module Decodes the SDK's nested-bytes `Query` messages into a {@link QueryNode} tree, checking
 * fields and value types against the index schema and enforcing the documented query limits.
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { Value } from '../model/values.ts'
import { readVariant } from '../plainbuffer/reader.ts'
import type { QueryMsg } from '../protocol/messages.ts'
import { decodeAs, has, searchMessage } from '../protocol/proto.ts'
import { parseGeoPoint } from './geo.ts'
import type { QueryNode, ScoreMode } from './query.ts'
import type { FieldSpec, FieldType, SearchSchema } from './schema.ts'

/** Documented limits. */
const MAX_SUB_QUERIES = 1024
const MAX_TERMS = 1024
const MAX_PREFIX_BYTES = 1000
const MAX_WILDCARD_CHARS = 32

const SCORE_MODES: Record<number, ScoreMode> = { 1: 'none', 2: 'avg', 3: 'max', 4: 'total', 5: 'min' }

interface DecodeContext {
  readonly schema: SearchSchema
  /** Path of the enclosing nested query, if any. */
  readonly nestedPath: string | undefined
  count: { n: number }
}

function field(ctx: DecodeContext, name: string, allowed: readonly FieldType[], what: string): FieldSpec {
  const spec = ctx.schema.byPath.get(name)
  if (!spec) throw invalidParameter(`Field ${name} in ${what} does not exist in the search index.`)
  if (!allowed.includes(spec.type))
    throw invalidParameter(`${what} does not support field ${name} of type ${spec.type}.`)
  if (spec.nestedParent !== ctx.nestedPath)
    throw invalidParameter(
      spec.nestedParent !== undefined
        ? `Field ${name} is inside nested field ${spec.nestedParent}; query it with a nested query on that path.`
        : `Field ${name} is not inside the nested path ${ctx.nestedPath}.`,
    )
  return spec
}

function weightOf(msg: { weight?: number }): number {
  if (!has(msg, 'weight')) return 1
  const w = msg.weight ?? 1
  if (!(w > 0)) throw invalidParameter('Query weight must be greater than 0.')
  return w
}

/** Checks a term/range value against the field type. A JS number arrives as DOUBLE: LONG needs Long. */
function checkValue(spec: FieldSpec, value: Value, what: string): Value {
  const ok =
    (spec.type === 'LONG' && value.kind === 'INTEGER') ||
    (spec.type === 'DOUBLE' && (value.kind === 'DOUBLE' || value.kind === 'INTEGER')) ||
    (spec.type === 'BOOLEAN' && value.kind === 'BOOLEAN') ||
    ((spec.type === 'KEYWORD' || spec.type === 'TEXT') && value.kind === 'STRING')
  if (!ok) {
    const hint =
      spec.type === 'LONG' && value.kind === 'DOUBLE'
        ? ' (send integers as TableStore.Long, not a JS number)'
        : ''
    throw invalidParameter(`${what} on ${spec.type} field ${spec.path} got a ${value.kind} value${hint}.`)
  }
  return value
}

const TERM_FIELDS: readonly FieldType[] = ['LONG', 'DOUBLE', 'BOOLEAN', 'KEYWORD', 'TEXT']
const TEXT_FIELDS: readonly FieldType[] = ['KEYWORD', 'TEXT']

function wildcardRegExp(pattern: string): RegExp {
  const escaped = [...pattern]
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${escaped}$`, 'su')
}

function decodeNode(msg: QueryMsg, ctx: DecodeContext): QueryNode {
  ctx.count.n++
  if (ctx.count.n > MAX_SUB_QUERIES)
    throw invalidParameter(`A query can have at most ${MAX_SUB_QUERIES} sub-queries.`)
  const body = msg.query
  const dec = <T>(name: string): T => decodeAs<T>(searchMessage(name), body)
  switch (msg.type) {
    case 1: {
      const q = dec<{
        fieldName: string
        text: string
        minimumShouldMatch?: number
        operator?: number
        weight?: number
      }>('MatchQuery')
      const msm = has(q, 'minimumShouldMatch') ? (q.minimumShouldMatch ?? 1) : 1
      if (msm < 1) throw invalidParameter('minimum_should_match of a match query must be at least 1.')
      return {
        type: 'match',
        field: field(ctx, q.fieldName, TEXT_FIELDS, 'MatchQuery'),
        text: q.text,
        and: has(q, 'operator') && q.operator === 2,
        minimumShouldMatch: msm,
        weight: weightOf(q),
      }
    }
    case 2: {
      const q = dec<{ fieldName: string; text: string; weight?: number }>('MatchPhraseQuery')
      return {
        type: 'match_phrase',
        field: field(ctx, q.fieldName, TEXT_FIELDS, 'MatchPhraseQuery'),
        text: q.text,
        weight: weightOf(q),
      }
    }
    case 3: {
      const q = dec<{ fieldName: string; term: Uint8Array; weight?: number }>('TermQuery')
      const spec = field(ctx, q.fieldName, TERM_FIELDS, 'TermQuery')
      return {
        type: 'term',
        field: spec,
        value: checkValue(spec, readVariant(q.term), 'TermQuery'),
        weight: weightOf(q),
      }
    }
    case 4: {
      const q = dec<{
        fieldName: string
        rangeFrom: Uint8Array
        rangeTo: Uint8Array
        includeLower?: boolean
        includeUpper?: boolean
      }>('RangeQuery')
      const spec = field(ctx, q.fieldName, ['LONG', 'DOUBLE', 'BOOLEAN', 'KEYWORD'], 'RangeQuery')
      const from = has(q, 'rangeFrom') ? checkValue(spec, readVariant(q.rangeFrom), 'RangeQuery') : undefined
      const to = has(q, 'rangeTo') ? checkValue(spec, readVariant(q.rangeTo), 'RangeQuery') : undefined
      return {
        type: 'range',
        field: spec,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        includeLower: q.includeLower === true,
        includeUpper: q.includeUpper === true,
      }
    }
    case 5: {
      const q = dec<{ fieldName: string; prefix: string; weight?: number }>('PrefixQuery')
      if (Buffer.byteLength(q.prefix) > MAX_PREFIX_BYTES)
        throw invalidParameter(`A prefix can be at most ${MAX_PREFIX_BYTES} bytes.`)
      return {
        type: 'prefix',
        field: field(ctx, q.fieldName, TEXT_FIELDS, 'PrefixQuery'),
        prefix: q.prefix,
        weight: weightOf(q),
      }
    }
    case 6:
      return decodeBool(body, ctx)
    case 7: {
      const q = dec<{ filter?: QueryMsg }>('ConstScoreQuery')
      if (!q.filter) throw invalidParameter('ConstScoreQuery needs a filter.')
      return { type: 'const_score', filter: decodeNode(q.filter, ctx) }
    }
    case 8: {
      const q = dec<{ query?: QueryMsg; fieldValueFactor?: { fieldName: string } }>('FunctionScoreQuery')
      if (!q.query || !q.fieldValueFactor)
        throw invalidParameter('FunctionScoreQuery needs a query and a field_value_factor.')
      return {
        type: 'function_score',
        query: decodeNode(q.query, ctx),
        field: field(ctx, q.fieldValueFactor.fieldName, ['LONG', 'DOUBLE'], 'FunctionScoreQuery'),
      }
    }
    case 9:
      return decodeNested(body, ctx)
    case 10: {
      const q = dec<{ fieldName: string; value: string; weight?: number }>('WildcardQuery')
      if ([...q.value].length > MAX_WILDCARD_CHARS)
        throw invalidParameter(`A wildcard query can be at most ${MAX_WILDCARD_CHARS} characters.`)
      return {
        type: 'wildcard',
        field: field(ctx, q.fieldName, TEXT_FIELDS, 'WildcardQuery'),
        pattern: wildcardRegExp(q.value),
        weight: weightOf(q),
      }
    }
    case 11:
      return { type: 'match_all' }
    case 12: {
      const q = dec<{ fieldName: string; topLeft: string; bottomRight: string }>('GeoBoundingBoxQuery')
      const topLeft = parseGeoPoint(q.topLeft, 'top_left')
      const bottomRight = parseGeoPoint(q.bottomRight, 'bottom_right')
      if (topLeft.lat < bottomRight.lat) throw invalidParameter('top_left must be north of bottom_right.')
      return {
        type: 'geo_bounding_box',
        field: field(ctx, q.fieldName, ['GEO_POINT'], 'GeoBoundingBoxQuery'),
        topLeft,
        bottomRight,
      }
    }
    case 13: {
      const q = dec<{ fieldName: string; centerPoint: string; distance: number }>('GeoDistanceQuery')
      if (!(q.distance >= 0)) throw invalidParameter('GeoDistanceQuery needs a distance >= 0 (metres).')
      return {
        type: 'geo_distance',
        field: field(ctx, q.fieldName, ['GEO_POINT'], 'GeoDistanceQuery'),
        center: parseGeoPoint(q.centerPoint, 'center_point'),
        distance: q.distance,
      }
    }
    case 14: {
      const q = dec<{ fieldName: string; points: string[] }>('GeoPolygonQuery')
      if (q.points.length < 3) throw invalidParameter('GeoPolygonQuery needs at least 3 points.')
      return {
        type: 'geo_polygon',
        field: field(ctx, q.fieldName, ['GEO_POINT'], 'GeoPolygonQuery'),
        points: q.points.map((p) => parseGeoPoint(p, 'polygon point')),
      }
    }
    case 15: {
      const q = dec<{ fieldName: string; terms: Uint8Array[]; weight?: number }>('TermsQuery')
      if (q.terms.length === 0) throw invalidParameter('TermsQuery needs at least one term.')
      if (q.terms.length > MAX_TERMS) throw invalidParameter(`TermsQuery accepts at most ${MAX_TERMS} terms.`)
      const spec = field(ctx, q.fieldName, TERM_FIELDS, 'TermsQuery')
      return {
        type: 'terms',
        field: spec,
        values: q.terms.map((t) => checkValue(spec, readVariant(t), 'TermsQuery')),
        weight: weightOf(q),
      }
    }
    case 16: {
      const q = dec<{ fieldName: string }>('ExistsQuery')
      const spec = ctx.schema.byPath.get(q.fieldName)
      if (!spec)
        throw invalidParameter(`Field ${q.fieldName} in ExistsQuery does not exist in the search index.`)
      return { type: 'exists', field: field(ctx, q.fieldName, [spec.type], 'ExistsQuery') }
    }
    case 17:
      throw unsupported('KnnVectorQuery')
    case 18:
      throw unsupported('FunctionsScoreQuery')
    default:
      throw invalidParameter(`Unknown query type ${msg.type}.`)
  }
}

function decodeBool(body: Uint8Array, ctx: DecodeContext): QueryNode {
  const q = decodeAs<{
    mustQueries: QueryMsg[]
    mustNotQueries: QueryMsg[]
    filterQueries: QueryMsg[]
    shouldQueries: QueryMsg[]
    minimumShouldMatch?: number
  }>(searchMessage('BoolQuery'), body)
  const msm = has(q, 'minimumShouldMatch') ? q.minimumShouldMatch : undefined
  if (msm !== undefined && (msm < 0 || msm > q.shouldQueries.length))
    throw invalidParameter(
      `minimum_should_match ${msm} must be between 0 and the number of should queries (${q.shouldQueries.length}).`,
    )
  const all = (list: QueryMsg[]): QueryNode[] => list.map((m) => decodeNode(m, ctx))
  return {
    type: 'bool',
    must: all(q.mustQueries),
    mustNot: all(q.mustNotQueries),
    filter: all(q.filterQueries),
    should: all(q.shouldQueries),
    minimumShouldMatch: msm,
  }
}

function decodeNested(body: Uint8Array, ctx: DecodeContext): QueryNode {
  const q = decodeAs<{
    path: string
    query?: QueryMsg
    scoreMode?: number
    weight?: number
    innerHits?: object
  }>(searchMessage('NestedQuery'), body)
  if (q.innerHits) throw unsupported('Nested inner_hits')
  const path = ctx.schema.byPath.get(q.path)
  if (path?.type !== 'NESTED') throw invalidParameter(`Nested query path ${q.path} is not a NESTED field.`)
  if (path.nestedParent !== ctx.nestedPath)
    throw invalidParameter(
      `Nested path ${q.path} must be queried inside a nested query on ${path.nestedParent ?? 'the root'}.`,
    )
  if (!q.query) throw invalidParameter('NestedQuery needs a query.')
  const scoreMode = SCORE_MODES[has(q, 'scoreMode') ? (q.scoreMode ?? 2) : 2]
  if (!scoreMode) throw invalidParameter(`Unknown nested score mode ${q.scoreMode}.`)
  const inner = decodeNode(q.query, { ...ctx, nestedPath: path.path })
  return { type: 'nested', path, query: inner, scoreMode, weight: weightOf(q) }
}

/** Decodes a top-level query (absent means match_all, as in Tablestore). */
export function decodeQuery(msg: QueryMsg | undefined, schema: SearchSchema, nestedPath?: string): QueryNode {
  if (!msg) return { type: 'match_all' }
  return decodeNode(msg, { schema, nestedPath, count: { n: 0 } })
}
