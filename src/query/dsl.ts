/**
 * @module The backend-neutral query DSL: an Elasticsearch-style tree of typed nodes. Services
 * build it, adapters translate or evaluate it, and the oracle evaluates it by brute force.
 *
 * Every node names its field explicitly (`{ term: { field, value } }`) rather than ES's
 * `{ term: { [field]: value } }`, which keeps the zod schemas and the TypeScript types exact.
 *
 * Scoring, as every backend reproduces it for ranking:
 * - `match` and `match_phrase` on `text` fields score BM25 over the analyzer's tokens, times
 *   `boost`; on `fuzzy` fields they score a constant `boost`;
 * - a `match` or `match_phrase` whose query has no tokens (only punctuation) matches nothing;
 * - every other leaf (`term`, `terms`, `prefix`, `range`, `exists`, geo) scores a constant `boost`
 *   (default 1); `match_all` scores `boost`;
 * - `bool` sums its matching `must` and `should` clauses; `filter` and `must_not` never score;
 * - `constant_score` scores `boost` when its filter matches;
 * - `nested` combines its matching children's scores by `score_mode`;
 * - `function_score` replaces its query's score by `factor` × the value of a numeric field.
 */
import { z } from 'zod'
import { GeoPointSchema } from '../domain/geo-point.ts'

const Field = z.string().min(1).max(64)
const Boost = z.number().positive().max(1e6).optional()
export const TermValueSchema = z.union([z.string().max(4096), z.number(), z.boolean()])
export type TermValue = z.infer<typeof TermValueSchema>

/** Every document. @example `{ match_all: {} }` */
export interface MatchAllQuery {
  match_all: { boost?: number | undefined }
}
/**
 * Analysed text: the query is tokenized with the field's analyzer; `and` needs every token, `or`
 * (the default) at least `minimum_should_match` (default 1) of its distinct tokens, in any order.
 * @example `{ match: { field: 'content', query: 'coffee tonight', operator: 'and' } }`
 */
export interface MatchQuery {
  match: {
    field: string
    query: string
    operator?: 'and' | 'or' | undefined
    minimum_should_match?: number | undefined
    boost?: number | undefined
  }
}
/**
 * The analysed tokens contiguously and in order. On a `fuzzy`-analysed field, a substring of
 * the field's value. @example `{ match_phrase: { field: 'content', query: '上海' } }`
 */
export interface MatchPhraseQuery {
  match_phrase: { field: string; query: string; boost?: number | undefined }
}
/** Exact value of a keyword, number or boolean field (any element of an array). @example `{ term: { field: 'type', value: 'text' } }` */
export interface TermQuery {
  term: { field: string; value: TermValue; boost?: number | undefined }
}
/** Any of the values (SQL IN). @example `{ terms: { field: 'recipients', values: ['u1'] } }` */
export interface TermsQuery {
  terms: { field: string; values: TermValue[]; boost?: number | undefined }
}
/** A keyword value starting with `value`. @example `{ prefix: { field: 'namePinyin', value: 'zhang' } }` */
export interface PrefixQuery {
  prefix: { field: string; value: string; boost?: number | undefined }
}
/** Numeric bounds. @example `{ range: { field: 'sentAt', gte: 1735689600000, lt: 1738368000000 } }` */
export interface RangeQuery {
  range: {
    field: string
    gt?: number | undefined
    gte?: number | undefined
    lt?: number | undefined
    lte?: number | undefined
    boost?: number | undefined
  }
}
/** The field has a value (a non-empty array for array fields). @example `{ exists: { field: 'location' } }` */
export interface ExistsQuery {
  exists: { field: string }
}
/** Within `distance` metres of `center` (haversine). @example `{ geo_distance: { field: 'location', center: { lat: 30.27, lon: 120.15 }, distance: 5000 } }` */
export interface GeoDistanceQuery {
  geo_distance: {
    field: string
    center: z.infer<typeof GeoPointSchema>
    distance: number
    boost?: number | undefined
  }
}
/** Inside a box; `top_left.lon > bottom_right.lon` crosses the antimeridian. @example `{ geo_bounding_box: { field: 'location', top_left: { lat: 31.4, lon: 121.2 }, bottom_right: { lat: 31.0, lon: 121.8 } } }` */
export interface GeoBoundingBoxQuery {
  geo_bounding_box: {
    field: string
    top_left: z.infer<typeof GeoPointSchema>
    bottom_right: z.infer<typeof GeoPointSchema>
    boost?: number | undefined
  }
}
/** Inside a polygon of 3 to 100 points (a geo-fence). @example `{ geo_polygon: { field: 'location', points: [{lat: 30.3, lon: 120.1}, {lat: 30.3, lon: 120.2}, {lat: 30.2, lon: 120.2}] } }` */
export interface GeoPolygonQuery {
  geo_polygon: { field: string; points: z.infer<typeof GeoPointSchema>[]; boost?: number | undefined }
}
/**
 * Boolean combination. A document matches when every `must` and `filter` clause matches, no
 * `must_not` clause does, and at least `minimum_should_match` `should` clauses do (default: 1 when
 * there are `should` clauses and no `must`/`filter`, else 0).
 * @example `{ bool: { must: [{ match_phrase: { field: 'content', query: 'jwt' } }], filter: [{ terms: { field: 'recipients', values: ['u1'] } }] } }`
 */
export interface BoolQuery {
  bool: {
    must?: Query[] | undefined
    filter?: Query[] | undefined
    should?: Query[] | undefined
    must_not?: Query[] | undefined
    minimum_should_match?: number | undefined
  }
}
/** A filter that scores a constant. @example `{ constant_score: { filter: { term: { field: 'nameNormalized', value: '张伟' } }, boost: 16 } }` */
export interface ConstantScoreQuery {
  constant_score: { filter: Query; boost?: number | undefined }
}
/**
 * Matches when some object of the nested array field `path` matches `query` (whose fields are
 * written `path.sub`); the children's scores combine by `score_mode` (default `avg`; `none`
 * scores 0). @example `{ nested: { path: 'tags', score_mode: 'sum', query: { terms: { field: 'tags.name', values: ['golf'] } } } }`
 */
export interface NestedQuery {
  nested: { path: string; query: Query; score_mode?: 'sum' | 'max' | 'avg' | 'none' | undefined }
}
/**
 * Scores `factor` × the numeric field's value (or `missing`, default 1) where `query` matches.
 * @example `{ function_score: { query: { term: { field: 'tags.name', value: 'golf' } }, field_value_factor: { field: 'tags.weight' } } }`
 */
export interface FunctionScoreQuery {
  function_score: {
    query: Query
    field_value_factor: { field: string; factor?: number | undefined; missing?: number | undefined }
  }
}

export type Query =
  | MatchAllQuery
  | MatchQuery
  | MatchPhraseQuery
  | TermQuery
  | TermsQuery
  | PrefixQuery
  | RangeQuery
  | ExistsQuery
  | GeoDistanceQuery
  | GeoBoundingBoxQuery
  | GeoPolygonQuery
  | BoolQuery
  | ConstantScoreQuery
  | NestedQuery
  | FunctionScoreQuery

/** Tablestore's per-request caps, applied to every backend so a query valid on one is valid on all. */
export const MAX_TERMS = 1024
export const MAX_POLYGON_POINTS = 100

const Clauses = z.array(z.lazy((): z.ZodType<Query> => QuerySchema)).max(MAX_TERMS)

export const QuerySchema: z.ZodType<Query> = z.lazy(() =>
  z.union([
    z.strictObject({ match_all: z.strictObject({ boost: Boost }) }),
    z.strictObject({
      match: z.strictObject({
        field: Field,
        query: z.string().max(4096),
        operator: z.enum(['and', 'or']).optional(),
        minimum_should_match: z.number().int().min(1).optional(),
        boost: Boost,
      }),
    }),
    z.strictObject({
      match_phrase: z.strictObject({ field: Field, query: z.string().max(4096), boost: Boost }),
    }),
    z.strictObject({ term: z.strictObject({ field: Field, value: TermValueSchema, boost: Boost }) }),
    z.strictObject({
      terms: z.strictObject({
        field: Field,
        values: z.array(TermValueSchema).min(1).max(MAX_TERMS),
        boost: Boost,
      }),
    }),
    z.strictObject({
      prefix: z.strictObject({ field: Field, value: z.string().min(1).max(1000), boost: Boost }),
    }),
    z.strictObject({
      range: z.strictObject({
        field: Field,
        gt: z.number().optional(),
        gte: z.number().optional(),
        lt: z.number().optional(),
        lte: z.number().optional(),
        boost: Boost,
      }),
    }),
    z.strictObject({ exists: z.strictObject({ field: Field }) }),
    z.strictObject({
      geo_distance: z.strictObject({
        field: Field,
        center: GeoPointSchema,
        distance: z.number().positive().max(40_075_000),
        boost: Boost,
      }),
    }),
    z.strictObject({
      geo_bounding_box: z.strictObject({
        field: Field,
        top_left: GeoPointSchema,
        bottom_right: GeoPointSchema,
        boost: Boost,
      }),
    }),
    z.strictObject({
      geo_polygon: z.strictObject({
        field: Field,
        points: z.array(GeoPointSchema).min(3).max(MAX_POLYGON_POINTS),
        boost: Boost,
      }),
    }),
    z.strictObject({
      bool: z.strictObject({
        must: Clauses.optional(),
        filter: Clauses.optional(),
        should: Clauses.optional(),
        must_not: Clauses.optional(),
        minimum_should_match: z.number().int().min(0).optional(),
      }),
    }),
    z.strictObject({ constant_score: z.strictObject({ filter: QuerySchema, boost: Boost }) }),
    z.strictObject({
      nested: z.strictObject({
        path: Field,
        query: QuerySchema,
        score_mode: z.enum(['sum', 'max', 'avg', 'none']).optional(),
      }),
    }),
    z.strictObject({
      function_score: z.strictObject({
        query: QuerySchema,
        field_value_factor: z.strictObject({
          field: Field,
          factor: z.number().optional(),
          missing: z.number().optional(),
        }),
      }),
    }),
  ]),
)

/** The kind of a query node: its single key. */
export type QueryKind = Query extends infer Q ? (Q extends Q ? keyof Q : never) : never

export function queryKind(query: Query): QueryKind {
  return Object.keys(query)[0] as QueryKind
}

/** The effective `minimum_should_match` of a bool node, per the rule in {@link BoolQuery}. */
export function minimumShouldMatch(bool: BoolQuery['bool']): number {
  if (bool.minimum_should_match !== undefined) return bool.minimum_should_match
  const hasShould = (bool.should?.length ?? 0) > 0
  const hasRequired = (bool.must?.length ?? 0) + (bool.filter?.length ?? 0) > 0
  return hasShould && !hasRequired ? 1 : 0
}
