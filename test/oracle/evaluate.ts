/**
 * @module A brute-force evaluator of the query DSL over plain arrays of documents: the oracle the
 * contract's property tests compare every backend with. It is written to be obviously correct, not
 * fast: a recursive predicate over one document at a time, with the scoring rules of `dsl.ts`
 * where they are exact (constant scores, bool sums, nested score modes, function_score). BM25 is
 * not reproduced: a score that depends on a `match`/`match_phrase` over a `text` field is marked
 * inexact.
 */

import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres, inBox, inPolygon } from '../../src/geo/distance.ts'
import { type BoolQuery, minimumShouldMatch, type Query, type TermValue } from '../../src/query/dsl.ts'
import { fieldSchema, ID_FIELDS, type IndexName } from '../../src/query/index-schemas.ts'
import type { Sort } from '../../src/query/sort.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { containsSequence } from '../../src/text/match-rule.ts'
import { compactName } from '../../src/text/name-forms.ts'

/** A document as the oracle sees it: any plain object. */
export type Doc = object
type Fields = Readonly<Record<string, unknown>>

/** A match, with its score and whether that score is exact under the DSL's scoring rules. */
export interface Scored {
  score: number
  exact: boolean
}

/** Reads a field by the name a query uses (`path.sub` inside a nested query). */
type Getter = (field: string) => unknown

const NO: undefined = undefined

/** Evaluate `query` on one document: undefined when it does not match. */
export function evaluate(index: IndexName, doc: Doc, query: Query): Scored | undefined {
  return evalNode(index, (field) => (doc as Fields)[field], query)
}

function evalNode(index: IndexName, get: Getter, q: Query): Scored | undefined {
  if ('match_all' in q) return exact(q.match_all.boost ?? 1)
  if ('match' in q) {
    const { field, query, operator, minimum_should_match, boost } = q.match
    if (isFuzzy(index, field)) return fuzzyContains(get(field), query) ? exact(boost ?? 1) : NO
    const have = new Set(textValues(get(field)).flat())
    const wanted = [...new Set(tokenize(query))]
    if (wanted.length === 0) return NO
    const present = wanted.filter((t) => have.has(t)).length
    // `and` needs every token; `or` (the default, as in Elasticsearch) at least minimum_should_match.
    const needed = operator === 'and' ? wanted.length : Math.min(minimum_should_match ?? 1, wanted.length)
    return present >= needed && present > 0 ? inexact(boost) : NO
  }
  if ('match_phrase' in q) {
    const { field, query, boost } = q.match_phrase
    if (isFuzzy(index, field)) return fuzzyContains(get(field), query) ? exact(boost ?? 1) : NO
    const needle = tokenize(query)
    if (needle.length === 0) return NO
    // A list of texts (attachment names) matches when one of them holds the phrase.
    return textValues(get(field)).some((tokens) => containsSequence(tokens, needle)) ? inexact(boost) : NO
  }
  if ('term' in q) {
    return values(get(q.term.field)).some((v) => v === q.term.value) ? exact(q.term.boost ?? 1) : NO
  }
  if ('terms' in q) {
    const wanted: readonly TermValue[] = q.terms.values
    return values(get(q.terms.field)).some((v) => wanted.includes(v as TermValue))
      ? exact(q.terms.boost ?? 1)
      : NO
  }
  if ('prefix' in q) {
    const { field, value, boost } = q.prefix
    return values(get(field)).some((v) => typeof v === 'string' && v.startsWith(value))
      ? exact(boost ?? 1)
      : NO
  }
  if ('range' in q) {
    const { field, gt, gte, lt, lte, boost } = q.range
    const ok = values(get(field)).some(
      (v) =>
        typeof v === 'number' &&
        (gt === undefined || v > gt) &&
        (gte === undefined || v >= gte) &&
        (lt === undefined || v < lt) &&
        (lte === undefined || v <= lte),
    )
    return ok ? exact(boost ?? 1) : NO
  }
  if ('exists' in q) {
    const v = get(q.exists.field)
    const has = Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null
    return has ? exact(1) : NO
  }
  if ('geo_distance' in q) {
    const { field, center, distance, boost } = q.geo_distance
    const p = point(get(field))
    return p && haversineMetres(center, p) <= distance ? exact(boost ?? 1) : NO
  }
  if ('geo_bounding_box' in q) {
    const { field, top_left, bottom_right, boost } = q.geo_bounding_box
    const p = point(get(field))
    return p && inBox(p, { topLeft: top_left, bottomRight: bottom_right }) ? exact(boost ?? 1) : NO
  }
  if ('geo_polygon' in q) {
    const { field, points, boost } = q.geo_polygon
    const p = point(get(field))
    return p && inPolygon(p, points) ? exact(boost ?? 1) : NO
  }
  if ('bool' in q) return evalBool(index, get, q.bool)
  if ('constant_score' in q) {
    return evalNode(index, get, q.constant_score.filter) ? exact(q.constant_score.boost ?? 1) : NO
  }
  if ('nested' in q) {
    const { path, query, score_mode } = q.nested
    const objects = get(path)
    if (!Array.isArray(objects)) return NO
    const scores: Scored[] = []
    for (const obj of objects as Fields[]) {
      const inner: Getter = (field) =>
        field.startsWith(`${path}.`) ? obj[field.slice(path.length + 1)] : get(field)
      const s = evalNode(index, inner, query)
      if (s) scores.push(s)
    }
    if (scores.length === 0) return NO
    const allExact = scores.every((s) => s.exact)
    const sum = scores.reduce((a, s) => a + s.score, 0)
    switch (score_mode ?? 'avg') {
      case 'none':
        return exact(0)
      case 'sum':
        return { score: sum, exact: allExact }
      case 'max':
        return { score: Math.max(...scores.map((s) => s.score)), exact: allExact }
      case 'avg':
        return { score: sum / scores.length, exact: allExact }
    }
  }
  if ('function_score' in q) {
    const { query, field_value_factor } = q.function_score
    if (!evalNode(index, get, query)) return NO
    const raw = get(field_value_factor.field)
    const value = typeof raw === 'number' ? raw : (field_value_factor.missing ?? 1)
    return exact((field_value_factor.factor ?? 1) * value)
  }
  throw new Error(`oracle: unknown query node ${JSON.stringify(q)}`)
}

function evalBool(index: IndexName, get: Getter, b: BoolQuery['bool']): Scored | undefined {
  let score = 0
  let allExact = true
  for (const clause of b.must ?? []) {
    const s = evalNode(index, get, clause)
    if (!s) return NO
    score += s.score
    allExact &&= s.exact
  }
  for (const clause of b.filter ?? []) if (!evalNode(index, get, clause)) return NO
  for (const clause of b.must_not ?? []) if (evalNode(index, get, clause)) return NO
  let matchedShould = 0
  for (const clause of b.should ?? []) {
    const s = evalNode(index, get, clause)
    if (!s) continue
    matchedShould++
    score += s.score
    allExact &&= s.exact
  }
  if (matchedShould < minimumShouldMatch(b)) return NO
  return { score, exact: allExact }
}

const exact = (score: number): Scored => ({ score, exact: true })
/** BM25 is not reproduced: the boost stands in for the score, marked inexact. */
const inexact = (boost: number | undefined): Scored => ({ score: boost ?? 1, exact: false })

function isFuzzy(index: IndexName, field: string): boolean {
  return fieldSchema(index, field)?.type === 'fuzzy'
}

/** Fuzzy rule: the compacted, normalised query is a substring of the (already compact) value. */
function fuzzyContains(value: unknown, query: string): boolean {
  const needle = compactName(query)
  return typeof value === 'string' && needle.length > 0 && value.includes(needle)
}

/** The token sequence of each text of a text field's value (one for a string, one per element of a list). */
function textValues(value: unknown): string[][] {
  return values(value)
    .filter((v): v is string => typeof v === 'string')
    .map((v) => tokenize(v))
}

function values(value: unknown): unknown[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}

function point(value: unknown): GeoPoint | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { lat, lon } = value as Partial<GeoPoint>
  return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : undefined
}

/** One oracle hit. */
export interface OracleHit<D extends Doc = Doc> {
  id: string
  score: Scored
  document: D
}

/** The oracle's answer to a search: the full matching set, and the order rule hits must follow. */
export interface OracleResult<D extends Doc = Doc> {
  hits: OracleHit<D>[]
  ids: Set<string>
  byId: Map<string, OracleHit<D>>
  total: number
  /**
   * Compares two returned hits by the sort keys: negative when `a` must come first, positive when
   * `b` must, 0 when the keys tie (the backend breaks ties as it likes, stably).
   */
  compare(a: { id: string; score: number }, b: { id: string; score: number }): number
  /** The index of the first adjacent pair out of order, or -1 when `hits` are ordered. */
  firstOutOfOrder(hits: readonly { id: string; score: number }[]): number
}

/** Every document of `docs` that `query` matches, with the ordering rule of `sort`. */
export function oracleSearch<D extends Doc>(
  index: IndexName,
  docs: readonly D[],
  query: Query,
  sort: readonly Sort[] = [{ score: { order: 'desc' } }],
): OracleResult<D> {
  const idField = ID_FIELDS[index]
  const hits: OracleHit<D>[] = []
  for (const document of docs) {
    const score = evaluate(index, document, query)
    if (score) hits.push({ id: String((document as Fields)[idField]), score, document })
  }
  const byId = new Map(hits.map((h) => [h.id, h]))
  const key = (hit: { id: string }) => {
    const h = byId.get(hit.id)
    if (!h) throw new Error(`oracle: hit ${hit.id} is not in the oracle's set`)
    return h.document as Fields
  }
  const compare = (a: { id: string; score: number }, b: { id: string; score: number }): number => {
    for (const s of sort) {
      let c = 0
      if ('score' in s) c = nearly(a.score, b.score) ? 0 : compareValues(a.score, b.score, s.score.order)
      else if ('field' in s) {
        c = compareValues(key(a)[s.field.name], key(b)[s.field.name], s.field.order)
      } else {
        const { field, center, order } = s.geo_distance
        const da = distanceTo(key(a)[field], center)
        const db = distanceTo(key(b)[field], center)
        // Half a metre of slack: backends may evaluate haversine in another order of operations.
        c =
          da !== undefined && db !== undefined && Math.abs(da - db) <= 0.5 ? 0 : compareValues(da, db, order)
      }
      if (c !== 0) return c
    }
    return 0
  }
  return {
    hits,
    ids: new Set(byId.keys()),
    byId,
    total: hits.length,
    compare,
    firstOutOfOrder(list) {
      for (let i = 0; i + 1 < list.length; i++) {
        if (
          compare(list[i] as { id: string; score: number }, list[i + 1] as { id: string; score: number }) > 0
        )
          return i
      }
      return -1
    },
  }
}

/** A document without a location has no distance, and sorts last in either order. */
function distanceTo(value: unknown, center: GeoPoint): number | undefined {
  const p = point(value)
  return p ? haversineMetres(center, p) : undefined
}

/** Whether two scores differ only by floating-point noise (a backend sums in its own order). */
export function nearly(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
}

function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1
}

function compareValues(a: unknown, b: unknown, order: 'asc' | 'desc'): number {
  // Missing values sort last in either order, as with Elasticsearch's default `missing: _last`.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1
  const sign = order === 'desc' ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return sign * compareNumbers(a, b)
  if (typeof a === 'boolean' && typeof b === 'boolean') return sign * compareNumbers(Number(a), Number(b))
  if (typeof a === 'string' && typeof b === 'string') return sign * (a === b ? 0 : a < b ? -1 : 1)
  throw new Error(`oracle: cannot compare ${String(a)} with ${String(b)}`)
}
