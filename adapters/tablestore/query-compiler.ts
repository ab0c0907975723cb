/**
 * @module DSL → Tablestore `SearchQuery` query objects, in the Node SDK's shapes
 * (`{ queryType: TableStore.QueryType.X, query: {...} }`). Pure: no SDK load (integers become
 * `TableStore.Long` through an injected factory) and no I/O (recipient sets are resolved before).
 *
 * Scores follow the DSL's rules (`src/query/dsl.ts`), not Tablestore's defaults:
 * - `term` compiles to a one-value TermsQuery: TermQuery on a keyword scores BM25, TermsQuery is
 *   constant (its `weight`);
 * - a constant score other than 1 (`constant_score`, a `range`/geo/`match_all` boost,
 *   `function_score`'s factor) is a bool whose only scoring clause is a TermsQuery on the
 *   `_doc` column every row holds, weighted by that constant, with the real clauses as filters;
 *   ConstScoreQuery gives 1 and a bool of filters gives 0;
 * - `function_score` wraps its query in a constant 1 so that the field's value replaces the score
 *   (Tablestore multiplies), and adds a branch for documents without the field (`missing`).
 */
import { minimumShouldMatch, type Query, type TermValue } from '../../src/query/dsl.ts'
import type { FieldSchema, IndexName } from '../../src/query/index-schemas.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { compactName } from '../../src/text/name-forms.ts'
import { TablestoreQueryError } from './errors.ts'
import {
  ALWAYS_PRESENT,
  isRecipientField,
  KIND_COLUMN,
  RECIPIENT_SET_COLUMN,
  schemaOf,
  searchColumn,
} from './index-fields.ts'
import { QueryOperator, QueryType, ScoreMode } from './sdk-constants.ts'

/** A query as the SDK's `searchQuery.query` takes it. */
export interface TsQuery {
  queryType: number
  query?: Record<string, unknown>
}

/** Tablestore's documented per-request caps. */
export const LIMITS = { terms: 1024, subQueries: 1024, arrayElements: 256, keywordBytes: 4096 } as const

export interface CompileOptions {
  index: IndexName
  /**
   * The recipient set ids of every user a `recipients` clause names (see `recipient-sets.ts`);
   * a user missing here is a programmer error.
   */
  recipientSets?: ReadonlyMap<string, readonly string[]>
  /** Integer values for LONG fields (`TableStore.Long.fromNumber`). */
  long: (n: number) => unknown
}

interface Scope {
  readonly options: CompileOptions
  /** The enclosing nested path, if any. */
  readonly nested: string | undefined
}

const q = (queryType: number, query?: Record<string, unknown>): TsQuery =>
  query === undefined ? { queryType } : { queryType, query }

/** Matches no document (Tablestore has no "match none"; a bool that excludes everything is one). */
export const MATCH_NONE: TsQuery = q(QueryType.BOOL_QUERY, {
  mustNotQueries: [q(QueryType.MATCH_ALL_QUERY)],
})

const weight = (boost: number | undefined): { weight?: number } =>
  boost === undefined || boost === 1 ? {} : { weight: boost }

/** Compile a validated query for `options.index`. */
export function compileQuery(query: Query, options: CompileOptions): TsQuery {
  const compiled = node(query, { options, nested: undefined })
  const count = countQueries(compiled)
  if (count > LIMITS.subQueries)
    throw new TablestoreQueryError(
      `the query needs ${count} Tablestore sub-queries; at most ${LIMITS.subQueries} are allowed`,
    )
  return compiled
}

/** The number of query messages in a compiled tree: what Tablestore's sub-query limit counts. */
export function countQueries(query: TsQuery): number {
  let n = 1
  const body = query.query ?? {}
  for (const key of ['mustQueries', 'mustNotQueries', 'filterQueries', 'shouldQueries'])
    for (const child of (body[key] as TsQuery[] | undefined) ?? []) n += countQueries(child)
  for (const key of ['query', 'filter'])
    if (body[key] && typeof body[key] === 'object' && 'queryType' in (body[key] as object))
      n += countQueries(body[key] as TsQuery)
  return n
}

function node(query: Query, scope: Scope): TsQuery {
  if ('match_all' in query) {
    const boost = query.match_all.boost ?? 1
    return boost === 1 ? q(QueryType.MATCH_ALL_QUERY) : constant(boost, [], scope)
  }
  if ('match' in query) return match(query.match, scope)
  if ('match_phrase' in query) return matchPhrase(query.match_phrase, scope)
  if ('term' in query) return terms(query.term.field, [query.term.value], query.term.boost, scope)
  if ('terms' in query) return terms(query.terms.field, query.terms.values, query.terms.boost, scope)
  if ('prefix' in query) {
    const { field, value, boost } = query.prefix
    if (isRecipientField(scope.options.index, field))
      throw new TablestoreQueryError('prefix queries on recipients are not supported (recipient sets)')
    return q(QueryType.PREFIX_QUERY, { fieldName: searchColumn(field), prefix: value, ...weight(boost) })
  }
  if ('range' in query) return range(query.range, scope)
  if ('exists' in query) {
    const field = query.exists.field
    const fieldName = isRecipientField(scope.options.index, field)
      ? RECIPIENT_SET_COLUMN
      : searchColumn(field)
    return q(QueryType.EXISTS_QUERY, { fieldName })
  }
  if ('geo_distance' in query) {
    const { field, center, distance, boost } = query.geo_distance
    const leaf = q(QueryType.GEO_DISTANCE_QUERY, { fieldName: field, centerPoint: point(center), distance })
    return scaled(leaf, boost, scope)
  }
  if ('geo_bounding_box' in query) {
    const { field, top_left, bottom_right, boost } = query.geo_bounding_box
    const leaf = q(QueryType.GEO_BOUNDING_BOX_QUERY, {
      fieldName: field,
      topLeft: point(top_left),
      bottomRight: point(bottom_right),
    })
    return scaled(leaf, boost, scope)
  }
  if ('geo_polygon' in query) {
    const { field, points, boost } = query.geo_polygon
    const leaf = q(QueryType.GEO_POLYGON_QUERY, { fieldName: field, points: points.map(point) })
    return scaled(leaf, boost, scope)
  }
  if ('bool' in query) return bool(query.bool, scope)
  if ('constant_score' in query) {
    return constant(query.constant_score.boost ?? 1, [node(query.constant_score.filter, scope)], scope)
  }
  if ('nested' in query) {
    const { path, query: inner, score_mode } = query.nested
    return q(QueryType.NESTED_QUERY, {
      path,
      query: node(inner, { ...scope, nested: path }),
      scoreMode: SCORE_MODES[score_mode ?? 'avg'],
    })
  }
  return functionScore(query.function_score, scope)
}

const SCORE_MODES = {
  sum: ScoreMode.SCORE_MODE_TOTAL,
  max: ScoreMode.SCORE_MODE_MAX,
  avg: ScoreMode.SCORE_MODE_AVG,
  none: ScoreMode.SCORE_MODE_NONE,
} as const

function point(p: { lat: number; lon: number }): string {
  return `${p.lat},${p.lon}`
}

/** A leaf that scores 1 natively, scaled to `boost`. */
function scaled(leaf: TsQuery, boost: number | undefined, scope: Scope): TsQuery {
  return boost === undefined || boost === 1 ? leaf : constant(boost, [leaf], scope)
}

/**
 * Matches where every filter matches and scores exactly `score`. A TermsQuery or PrefixQuery
 * (constant by nature) just takes the weight; otherwise a constant-1 ConstScoreQuery, a 0-scoring
 * filter bool, or the `_doc` carrier weighted by the score.
 */
function constant(score: number, filters: TsQuery[], scope: Scope): TsQuery {
  if (!(score >= 0)) throw new TablestoreQueryError(`a constant score must not be negative (got ${score})`)
  const [only] = filters
  if (score === 0) return q(QueryType.BOOL_QUERY, { filterQueries: filters.length ? filters : [matchAll()] })
  if (
    filters.length === 1 &&
    only &&
    (only.queryType === QueryType.TERMS_QUERY || only.queryType === QueryType.PREFIX_QUERY)
  ) {
    const { weight: _ignored, ...rest } = only.query ?? {}
    return q(only.queryType, { ...rest, ...weight(score) })
  }
  if (score === 1) {
    if (filters.length === 0) return matchAll()
    return q(QueryType.CONST_SCORE_QUERY, {
      filter: only && filters.length === 1 ? only : q(QueryType.BOOL_QUERY, { filterQueries: filters }),
    })
  }
  if (scope.nested !== undefined)
    throw new TablestoreQueryError(
      `a constant score other than 0 or 1 inside nested ${scope.nested} is not supported (got ${score})`,
    )
  const carrier = q(QueryType.TERMS_QUERY, {
    fieldName: KIND_COLUMN,
    terms: [scope.options.index],
    weight: score,
  })
  return filters.length === 0
    ? carrier
    : q(QueryType.BOOL_QUERY, { mustQueries: [carrier], filterQueries: filters })
}

const matchAll = () => q(QueryType.MATCH_ALL_QUERY)

type TextSpec = { field: string; query: string; boost?: number | undefined }

/** Fuzzy fields: a substring of the compact value, scored as a constant (the DSL's rule). */
function fuzzy(spec: TextSpec, scope: Scope): TsQuery {
  const needle = compactName(spec.query)
  if (needle.length === 0) return MATCH_NONE
  const phrase = q(QueryType.MATCH_PHRASE_QUERY, { fieldName: spec.field, text: needle })
  return constant(spec.boost ?? 1, [phrase], scope)
}

function match(spec: Extract<Query, { match: unknown }>['match'], scope: Scope): TsQuery {
  if (schemaOf(scope.options.index, spec.field).type === 'fuzzy') return fuzzy(spec, scope)
  // Distinct tokens of the message analyzer, joined for the `split` analyzer to take apart again.
  const tokens = [...new Set(tokenize(spec.query))]
  if (tokens.length === 0) return MATCH_NONE
  const fieldName = searchColumn(spec.field)
  const text = tokens.join(' ')
  if (spec.operator === 'and')
    return q(QueryType.MATCH_QUERY, { fieldName, text, operator: QueryOperator.AND, ...weight(spec.boost) })
  const needed = Math.min(spec.minimum_should_match ?? 1, tokens.length)
  return q(QueryType.MATCH_QUERY, {
    fieldName,
    text,
    operator: QueryOperator.OR,
    minimumShouldMatch: needed,
    ...weight(spec.boost),
  })
}

function matchPhrase(spec: TextSpec, scope: Scope): TsQuery {
  if (schemaOf(scope.options.index, spec.field).type === 'fuzzy') return fuzzy(spec, scope)
  const tokens = tokenize(spec.query)
  if (tokens.length === 0) return MATCH_NONE
  return q(QueryType.MATCH_PHRASE_QUERY, {
    fieldName: searchColumn(spec.field),
    text: tokens.join(' '),
    ...weight(spec.boost),
  })
}

/** A value as the field's Tablestore type takes it, or undefined when it can never match. */
function termValue(schema: FieldSchema, value: TermValue, scope: Scope): unknown {
  switch (schema.type) {
    case 'keyword':
      return typeof value === 'string' ? value : undefined
    case 'long':
      return typeof value === 'number' && Number.isInteger(value) ? scope.options.long(value) : undefined
    case 'double':
      return typeof value === 'number' ? value : undefined
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined
    default:
      return undefined
  }
}

function terms(
  field: string,
  values: readonly TermValue[],
  boost: number | undefined,
  scope: Scope,
): TsQuery {
  if (values.length > LIMITS.terms)
    throw new TablestoreQueryError(
      `a terms query takes at most ${LIMITS.terms} values (got ${values.length})`,
    )
  if (isRecipientField(scope.options.index, field) && scope.nested === undefined)
    return recipients(values, boost, scope)
  const schema = schemaOf(scope.options.index, field)
  const converted = values.map((v) => termValue(schema, v, scope)).filter((v) => v !== undefined)
  if (converted.length === 0) return MATCH_NONE
  return q(QueryType.TERMS_QUERY, { fieldName: searchColumn(field), terms: converted, ...weight(boost) })
}

/**
 * `recipients` holds any of the users ⇔ the message's recipient set is one of theirs. The set
 * ids are chunked into TermsQueries of at most 1,024 values; a message has one set, so it matches
 * exactly one chunk and scores the boost once. No set means no message: the filter is never
 * dropped.
 */
function recipients(values: readonly TermValue[], boost: number | undefined, scope: Scope): TsQuery {
  const sets = new Set<string>()
  for (const value of values) {
    if (typeof value !== 'string') continue
    const ids = scope.options.recipientSets?.get(value)
    if (!ids) throw new Error(`[im-search] [tablestore] recipient sets of ${value} were not resolved`)
    for (const id of ids) sets.add(id)
  }
  const all = [...sets].sort()
  if (all.length === 0) return MATCH_NONE
  const chunks: TsQuery[] = []
  for (let i = 0; i < all.length; i += LIMITS.terms)
    chunks.push(
      q(QueryType.TERMS_QUERY, {
        fieldName: RECIPIENT_SET_COLUMN,
        terms: all.slice(i, i + LIMITS.terms),
        ...weight(boost),
      }),
    )
  const [only] = chunks
  return chunks.length === 1 && only
    ? only
    : q(QueryType.BOOL_QUERY, { shouldQueries: chunks, minimumShouldMatch: 1 })
}

interface Bound {
  value: number
  inclusive: boolean
}

/** The tighter of two lower (or upper) bounds. */
function tighter(a: Bound | undefined, b: Bound | undefined, lower: boolean): Bound | undefined {
  if (!a || !b) return a ?? b
  if (a.value !== b.value) return (lower ? a.value > b.value : a.value < b.value) ? a : b
  return a.inclusive ? b : a
}

/** On an integer field, a fractional bound becomes the inclusive integer bound inside it. */
function integral(bound: Bound | undefined, lower: boolean): Bound | undefined {
  if (!bound || Number.isInteger(bound.value)) return bound
  return { value: lower ? Math.ceil(bound.value) : Math.floor(bound.value), inclusive: true }
}

/** No value lies between the bounds (on an integer field, no integer does). */
function isEmpty(from: Bound, to: Bound, integers: boolean): boolean {
  if (integers) return from.value + (from.inclusive ? 0 : 1) > to.value - (to.inclusive ? 0 : 1)
  return from.value > to.value || (from.value === to.value && !(from.inclusive && to.inclusive))
}

function range(spec: Extract<Query, { range: unknown }>['range'], scope: Scope): TsQuery {
  const schema = schemaOf(scope.options.index, spec.field)
  const bound = (value: number | undefined, inclusive: boolean): Bound | undefined =>
    value === undefined ? undefined : { value, inclusive }
  let from = tighter(bound(spec.gt, false), bound(spec.gte, true), true)
  let to = tighter(bound(spec.lt, false), bound(spec.lte, true), false)
  const isLong = schema.type === 'long'
  if (isLong) {
    from = integral(from, true)
    to = integral(to, false)
  }
  if (from && to && isEmpty(from, to, isLong)) return MATCH_NONE
  const value = (n: number) => (isLong ? scope.options.long(n) : n)
  const leaf = q(QueryType.RANGE_QUERY, {
    fieldName: searchColumn(spec.field),
    ...(from ? { rangeFrom: value(from.value), includeLower: from.inclusive } : {}),
    ...(to ? { rangeTo: value(to.value), includeUpper: to.inclusive } : {}),
  })
  return scaled(leaf, spec.boost, scope)
}

function bool(spec: Extract<Query, { bool: unknown }>['bool'], scope: Scope): TsQuery {
  const list = (clauses: Query[] | undefined) => (clauses ?? []).map((c) => node(c, scope))
  const must = list(spec.must)
  const filter = list(spec.filter)
  const should = list(spec.should)
  const mustNot = list(spec.must_not)
  const needed = minimumShouldMatch(spec)
  if (needed > should.length) return MATCH_NONE
  const body: Record<string, unknown> = {}
  if (must.length) body.mustQueries = must
  if (filter.length) body.filterQueries = filter
  if (mustNot.length) body.mustNotQueries = mustNot
  if (should.length) {
    body.shouldQueries = should
    body.minimumShouldMatch = needed
  }
  // An empty bool matches everything and scores 0; say so in a form Tablestore surely accepts.
  if (Object.keys(body).length === 0) body.filterQueries = [matchAll()]
  return q(QueryType.BOOL_QUERY, body)
}

function functionScore(spec: Extract<Query, { function_score: unknown }>['function_score'], scope: Scope) {
  const { field, factor = 1, missing = 1 } = spec.field_value_factor
  if (factor < 0 || missing * factor < 0)
    throw new TablestoreQueryError('function_score with a negative factor or missing value is not supported')
  const inner = node(spec.query, scope)
  const column = searchColumn(field)
  // Tablestore multiplies the query's score by the field's value: a constant `factor` makes it
  // factor × value, which is the DSL's "replace the score".
  const present = (filters: TsQuery[]) =>
    q(QueryType.FUNCTION_SCORE_QUERY, {
      query: constant(factor, filters, scope),
      fieldValueFactor: { fieldName: column },
    })
  if (factor === 0) return constant(0, [inner], scope)
  if (ALWAYS_PRESENT[scope.options.index].includes(field)) return present([inner])
  const exists = q(QueryType.EXISTS_QUERY, { fieldName: column })
  const absent = constant(factor * missing, [inner], scope)
  return q(QueryType.BOOL_QUERY, {
    shouldQueries: [
      present([inner, exists]),
      q(QueryType.BOOL_QUERY, { mustQueries: [absent], mustNotQueries: [exists] }),
    ],
    minimumShouldMatch: 1,
  })
}
