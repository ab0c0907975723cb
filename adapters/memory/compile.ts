/**
 * @module DSL → plans for the embedded engine. Leaves read the document (or nested object) for
 * verification and the field indexes for candidates; the scoring rules are those of
 * `src/query/dsl.ts`.
 */

import type { GeoPoint } from '../../src/domain/geo-point.ts'
import { haversineMetres, inBox, inPolygon } from '../../src/geo/distance.ts'
import {
  type MatchPhraseQuery,
  type MatchQuery,
  minimumShouldMatch,
  type Query,
  type TermValue,
} from '../../src/query/dsl.ts'
import type { FieldSchema } from '../../src/query/index-schemas.ts'
import { tokenize } from '../../src/text/analyzer.ts'
import { compactName } from '../../src/text/name-forms.ts'
import { BOOLEAN, type BooleanColumn } from './boolean-column.ts'
import type { GeoIndex } from './geo-index.ts'
import type { KeywordIndex, KeywordLookup } from './keyword-index.ts'
import { ABSENT, type NestedWeights } from './nested-weights.ts'
import { type ExactTerm, type Plan, requiredCandidates, SCORE, type Source } from './plan.ts'
import { type Candidates, NO_CANDIDATES, unionOf } from './posting.ts'
import type { RecipientSetIndex } from './recipient-set-index.ts'
import type { TextIndex } from './text-index.ts'

/** The field indexes of one search index, by full field name (`tags.name` for nested ones). */
export interface FieldIndexes {
  schema(field: string): FieldSchema | undefined
  keyword(field: string): KeywordLookup | undefined
  recipientSet(field: string): RecipientSetIndex | undefined
  text(field: string): TextIndex | undefined
  /** Distinct values of a `fuzzy` field, for substring scans. */
  fuzzy(field: string): KeywordIndex | undefined
  geo(field: string): GeoIndex | undefined
  /** The string values of `key` with the numbers of `weight`, of the objects of the nested field `path`. */
  nestedWeights(path: string, key: string, weight: string): NestedWeights | undefined
  /** A top-level boolean field by document number. */
  booleans(field: string): BooleanColumn | undefined
  /**
   * How many live documents match both exact terms, counted without visiting them, where the
   * indexes keep such counts (a recipient set and a keyword value: see `counts-by-set.ts`).
   */
  countBoth(a: ExactTerm, b: ExactTerm): (() => number) | undefined
}

/** Inside `nested`, leaves read `source[sub]` for the field `path.sub`. */
interface Scope {
  readonly indexes: FieldIndexes
  readonly nestedPath: string | undefined
}

export function compile(query: Query, indexes: FieldIndexes): Plan {
  return compileIn(query, { indexes, nestedPath: undefined })
}

function compileIn(q: Query, scope: Scope): Plan {
  if ('bool' in q) return compileBool(q.bool, scope)
  if ('match_all' in q) return sourceFree(matching(undefined, q.match_all.boost, () => true))
  if ('constant_score' in q) {
    const inner = compileIn(q.constant_score.filter, scope)
    // The filter's own score is never used: only whether it matches.
    const plan = matching(inner.candidates, q.constant_score.boost, inner.matches)
    return inner.sourceFree ? sourceFree(plan) : plan
  }
  if ('nested' in q) return compileNested(q.nested, scope)
  if ('function_score' in q) {
    const inner = compileIn(q.function_score.query, scope)
    const { field, factor = 1, missing = 1 } = q.function_score.field_value_factor
    const key = localName(field, scope)
    // A negative factor or value makes a match of the inner query none of this one.
    const score = (d: number, s: Source) => {
      if (!inner.matches(d, s)) return false
      const value = s[key]
      SCORE[0] = factor * (typeof value === 'number' ? value : missing)
      return !((SCORE[0] as number) < 0)
    }
    return { candidates: inner.candidates, score, matches: score }
  }
  if ('match' in q) return compileText(q.match, false, scope)
  if ('match_phrase' in q) return compileText(q.match_phrase, true, scope)
  if ('term' in q) return compileTerms(q.term.field, [q.term.value], q.term.boost, scope)
  if ('terms' in q) return compileTerms(q.terms.field, q.terms.values, q.terms.boost, scope)
  if ('prefix' in q) {
    const { field, value, boost } = q.prefix
    const key = localName(field, scope)
    const candidates = scope.indexes.keyword(field)?.prefix(value)
    return constant(candidates, boost, (s) =>
      someValue(s[key], (v) => typeof v === 'string' && v.startsWith(value)),
    )
  }
  if ('range' in q) {
    const { field, gt, gte, lt, lte, boost } = q.range
    const key = localName(field, scope)
    const inRange = (v: unknown) =>
      typeof v === 'number' &&
      (gt === undefined || v > gt) &&
      (gte === undefined || v >= gte) &&
      (lt === undefined || v < lt) &&
      (lte === undefined || v <= lte)
    return constant(undefined, boost, (s) => someValue(s[key], inRange))
  }
  if ('exists' in q) {
    const key = localName(q.exists.field, scope)
    return constant(undefined, undefined, (s) => someValue(s[key], () => true))
  }
  if ('geo_distance' in q) {
    const { field, center, distance, boost } = q.geo_distance
    const candidates = topLevel(scope)?.geo(field)?.near(center, distance)
    return geo(field, boost, scope, candidates, (p) => haversineMetres(center, p) <= distance)
  }
  if ('geo_bounding_box' in q) {
    const { field, top_left, bottom_right, boost } = q.geo_bounding_box
    const box = { topLeft: top_left, bottomRight: bottom_right }
    return geo(field, boost, scope, topLevel(scope)?.geo(field)?.box(box), (p) => inBox(p, box))
  }
  const { field, points, boost } = q.geo_polygon
  return geo(field, boost, scope, undefined, (p) => inPolygon(p, points))
}

/** A plan that scores each match its boost (1 by default). */
function matching(
  candidates: Candidates | undefined,
  boost: number | undefined,
  matches: (d: number, s: Source) => boolean,
): Plan {
  const score = boost ?? 1
  return {
    candidates,
    score: (d, s) => {
      if (!matches(d, s)) return false
      SCORE[0] = score
      return true
    },
    matches,
  }
}

/** `plan`, marked as never reading its source ({@link Plan.sourceFree}). */
function sourceFree(plan: Plan): Plan {
  return { ...plan, sourceFree: true }
}

/** {@link matching}, testing the document's (or nested object's) fields. */
function constant(
  candidates: Candidates | undefined,
  boost: number | undefined,
  test: (s: Source) => boolean,
): Plan {
  return matching(candidates, boost, (_d, s) => test(s))
}

/** A plan that matches nothing (a text query with a token no document holds). */
const NOTHING = sourceFree(matching(NO_CANDIDATES, undefined, () => false))

function geo(
  field: string,
  boost: number | undefined,
  scope: Scope,
  candidates: Candidates | undefined,
  test: (p: GeoPoint) => boolean,
): Plan {
  const key = localName(field, scope)
  return constant(candidates, boost, (s) => {
    const p = s[key] as GeoPoint | undefined
    return p !== undefined && test(p)
  })
}

function compileTerms(
  field: string,
  values: readonly TermValue[],
  boost: number | undefined,
  scope: Scope,
): Plan {
  const key = localName(field, scope)
  const recipients = scope.nestedPath ? undefined : scope.indexes.recipientSet(field)
  if (recipients) {
    const strings = values.filter((v): v is string => typeof v === 'string')
    const carries = recipients.anyOf(strings)
    const candidates = unionOf(strings.map((v) => recipients.term(v)))
    return {
      ...matching(candidates, boost, (d) => carries(d)),
      exact: true,
      term: { field, values: strings },
      sourceFree: true,
    }
  }
  const index = scope.indexes.keyword(field)
  const candidates = index
    ? unionOf(values.map((v) => (typeof v === 'string' ? index.term(v) : NO_CANDIDATES)))
    : undefined
  // A string's posting holds exactly the documents with it; inside `nested`, it names documents, not objects.
  const exact = candidates !== undefined && !scope.nestedPath && values.every((v) => typeof v === 'string')
  // An exact leaf names its strings, so a conjunction can ask the indexes for its count.
  const exactness = exact ? { exact, term: { field, values: values as string[] } } : { exact }
  if (exact && candidates.size <= values.length) {
    // At most a document a value (ids: the caller's contacts boosted in a discovery search, the
    // caller's own id): test the document number. Reading the field loads each candidate's own
    // string, elsewhere in the heap; a tag search at 100,000 users tests 10,693 candidates, and
    // those loads were a third of its time. Costs what the query's values cost, never more; a
    // document number is never reused for other contents (an update is a new number).
    const docNos = new Set<number>()
    candidates.forEach((docNo) => void docNos.add(docNo))
    return { ...matching(candidates, boost, (d) => docNos.has(d)), ...exactness, sourceFree: true }
  }
  const [first] = values
  // A set only for several values: one value (a conversation, a sender) is compared as it is.
  const wanted = values.length === 1 ? undefined : new Set<unknown>(values)
  const read = constant(
    candidates,
    boost,
    wanted ? (s) => someValue(s[key], (v) => wanted.has(v)) : (s) => someValue(s[key], (v) => v === first),
  )
  const column = scope.nestedPath ? undefined : scope.indexes.booleans(field)
  if (!column || !values.every((v) => typeof v === 'boolean')) return { ...read, ...exactness }
  // From the column (a byte a document); the document is read only where it holds an array.
  const [whenTrue, whenFalse] = [values.includes(true), values.includes(false)]
  const matches = (d: number, s: Source) => {
    const code = column.of(d)
    if (code === BOOLEAN.read) return read.matches(d, s)
    return code === BOOLEAN.true ? whenTrue : code === BOOLEAN.false && whenFalse
  }
  return { ...matching(candidates, boost, matches), exact }
}

type TextSpec = MatchQuery['match'] | MatchPhraseQuery['match_phrase']

function compileText(spec: TextSpec, phrase: boolean, scope: Scope): Plan {
  const operator = 'operator' in spec ? spec.operator : undefined
  const key = localName(spec.field, scope)
  const boost = spec.boost ?? 1
  if (scope.indexes.schema(spec.field)?.type === 'fuzzy') {
    // Substring semantics (Tablestore's fuzzy analyzer): compare compact forms; score a constant.
    const needle = compactName(spec.query)
    const values = scope.indexes.fuzzy(spec.field)
    const candidates = values ? unionOf(values.matching((value) => value.includes(needle))) : undefined
    return constant(
      candidates,
      boost,
      (s) => typeof s[key] === 'string' && (s[key] as string).includes(needle),
    )
  }
  const text = scope.indexes.text(spec.field)
  const tokens = tokenize(spec.query)
  if (!text || tokens.length === 0) return NOTHING
  if (phrase || operator === 'and') {
    const ids = text.lookup(tokens)
    if (!ids) return NOTHING
    const bm25 = text.scoreInto(ids, boost, SCORE)
    const singles = ids.map((id) => [id])
    // Verified in full: a conjunction may draw its candidates from another clause.
    const matches = phrase
      ? (d: number) => text.hasSequence(d, ids)
      : (d: number) => singles.every((id) => text.hasSequence(d, id))
    return {
      candidates: text.allOf(ids),
      score: textScore(matches, bm25),
      matches,
      warm: (docNos, count) => text.warm(docNos, count),
      sourceFree: true,
    }
  }
  const known = [
    ...new Set(tokens.map((t) => text.tokenId(t)).filter((id): id is number => id !== undefined)),
  ]
  const needed = ('minimum_should_match' in spec ? spec.minimum_should_match : undefined) ?? 1
  // Absent tokens add nothing to BM25: scoring all the known ones scores the present ones.
  const bm25 = text.scoreInto(known, boost, SCORE)
  const matches = (d: number) => {
    const docTokens = text.tokensOf(d)
    return known.filter((id) => docTokens.includes(id)).length >= needed
  }
  return {
    candidates: unionOf(known.map((id) => text.posting(id))),
    score: textScore(matches, bm25),
    matches,
    warm: (docNos, count) => text.warm(docNos, count),
    sourceFree: true,
  }
}

/** A text leaf's score: BM25 times the boost (written to {@link SCORE} by `bm25`), for a match. */
function textScore(matches: (d: number) => boolean, bm25: (d: number) => void): Plan['score'] {
  return (d) => {
    if (!matches(d)) return false
    bm25(d)
    return true
  }
}

function compileBool(bool: Extract<Query, { bool: unknown }>['bool'], scope: Scope): Plan {
  const must = (bool.must ?? []).map((c) => compileIn(c, scope))
  const filter = (bool.filter ?? []).map((c) => compileIn(c, scope))
  const should = (bool.should ?? []).map((c) => compileIn(c, scope))
  const mustNot = (bool.must_not ?? []).map((c) => compileIn(c, scope))
  const needed = minimumShouldMatch(bool)
  const drawn = requiredCandidates([...must, ...filter])
  let candidates = drawn.candidates
  if (!candidates && needed > 0 && should.every((p) => p.candidates)) {
    candidates = unionOf(should.map((p) => p.candidates as Candidates))
  }
  // Cheap-to-reject clauses first: filters are usually keyword checks, musts may score text.
  const required = [...filter, ...must]
  // A filter (its score unused) whose exact candidates were folded into ours holds for each of ours.
  const implied = filter.filter((plan) => plan.exact && drawn.folded.includes(plan))
  const score = scoreOf(required, must, mustNot, should, needed)
  const matches = matchOf(required, mustNot, should, needed)
  const bare = must.length === 0 && mustNot.length === 0 && should.length === 0 && needed === 0
  const checked = required.filter((plan) => !implied.includes(plan))
  // Drawn candidates only: a union of `should` candidates is not all matches.
  const folded = bare && drawn.candidates !== undefined && implied.length === filter.length
  const count = folded ? countOf(filter, scope) : undefined
  const warms = [...required, ...should].flatMap((plan) => (plan.warm ? [plan.warm] : []))
  return {
    candidates,
    ...(warms.length > 0
      ? {
          warm: (docNos: Int32Array, length: number) => {
            for (const warm of warms) warm(docNos, length)
          },
        }
      : {}),
    score,
    matches,
    ...(folded ? { candidateScore: 0 } : {}),
    ...(count ? { count } : {}),
    scoreCandidate: implied.length === 0 ? score : scoreOf(checked, must, mustNot, should, needed),
    matchesCandidate: implied.length === 0 ? matches : matchOf(checked, mustNot, should, needed),
    ...([...required, ...should, ...mustNot].every((plan) => plan.sourceFree) ? { sourceFree: true } : {}),
  }
}

/** A conjunction of two exact terms' count, where the indexes keep one (the one-conversation listing's total). */
function countOf(filter: readonly Plan[], scope: Scope): (() => number) | undefined {
  const [a, b] = filter
  if (filter.length !== 2 || !a?.term || !b?.term) return undefined
  return scope.indexes.countBoth(a.term, b.term)
}

/**
 * A conjunction's score: every required clause (the `must` ones scored, the filters only
 * tested), no `mustNot` (tested), enough `should` (scored).
 */
function scoreOf(
  required: readonly Plan[],
  must: readonly Plan[],
  mustNot: readonly Plan[],
  should: readonly Plan[],
  needed: number,
): Plan['score'] {
  const scores = required.map((plan) => must.includes(plan))
  // Indexed loops: a for-of over an array allocates its iterator where V8 does not inline the loop.
  return (d, s) => {
    let total = 0
    for (let i = 0; i < required.length; i++) {
      const plan = required[i] as Plan
      if (!scores[i]) {
        if (!plan.matches(d, s)) return false
        continue
      }
      if (!plan.score(d, s)) return false
      total += SCORE[0] as number
    }
    for (let i = 0; i < mustNot.length; i++) if ((mustNot[i] as Plan).matches(d, s)) return false
    let matched = 0
    for (let i = 0; i < should.length; i++) {
      if (!(should[i] as Plan).score(d, s)) continue
      matched++
      total += SCORE[0] as number
    }
    if (matched < needed) return false
    SCORE[0] = total
    return true
  }
}

/** Whether a conjunction matches ({@link scoreOf} without the scores): it stops at `needed` `should` clauses. */
function matchOf(
  required: readonly Plan[],
  mustNot: readonly Plan[],
  should: readonly Plan[],
  needed: number,
): Plan['matches'] {
  return (d, s) => {
    for (let i = 0; i < required.length; i++) if (!(required[i] as Plan).matches(d, s)) return false
    for (let i = 0; i < mustNot.length; i++) if ((mustNot[i] as Plan).matches(d, s)) return false
    let matched = 0
    for (let i = 0; i < should.length && matched < needed; i++)
      if ((should[i] as Plan).matches(d, s)) matched++
    return matched >= needed
  }
}

function compileNested(nested: NestedSpec, scope: Scope): Plan {
  const inner = compileIn(nested.query, { indexes: scope.indexes, nestedPath: nested.path })
  const mode = nested.score_mode ?? 'avg'
  const score = (d: number, s: Source) => {
    const children = s[nested.path]
    if (!Array.isArray(children)) return false
    let matched = 0
    let sum = 0
    let max = 0
    for (const child of children as Source[]) {
      if (!inner.score(d, child)) continue
      const score = SCORE[0] as number
      matched++
      sum += score
      max = Math.max(max, score)
    }
    return nestedScore(mode, matched, sum, max)
  }
  // Some object matches (the scores summed, averaged or maxed of matches are never below 0).
  const matches = (d: number, s: Source) => {
    const children = s[nested.path]
    return Array.isArray(children) && (children as Source[]).some((child) => inner.matches(d, child))
  }
  return {
    candidates: inner.candidates,
    score: weightedScore(nested, scope.indexes, score) ?? score,
    matches,
  }
}

type NestedSpec = Extract<Query, { nested: unknown }>['nested']

/**
 * The nested query's score from its matched objects' count, sum and maximum, by `score_mode`,
 * {@link Plan.score}'s way: whether some object matched, the score in {@link SCORE}.
 */
function nestedScore(mode: NestedSpec['score_mode'], matched: number, sum: number, max: number): boolean {
  if (matched === 0) return false
  SCORE[0] = mode === 'sum' ? sum : mode === 'max' ? max : mode === 'avg' ? sum / matched : 0
  return true
}

/**
 * A function score of a term or terms leaf inside `nested` (the tag search: the sum of the
 * matched tags' weights), from the values' weights kept beside their documents
 * ({@link NestedWeights}) instead of the document's objects; `read` (the objects' score) where
 * those say to read the document. The objects' scores are summed in the objects' order: with
 * three or more matched, whose sum a different order could round differently, the document is read too.
 */
function weightedScore(
  nested: NestedSpec,
  indexes: FieldIndexes,
  read: Plan['score'],
): Plan['score'] | undefined {
  const fn = 'function_score' in nested.query ? nested.query.function_score : undefined
  const leaf = fn && ('term' in fn.query ? fn.query.term : 'terms' in fn.query ? fn.query.terms : undefined)
  if (!fn || !leaf) return undefined
  const values = 'values' in leaf ? leaf.values : [leaf.value]
  const prefix = `${nested.path}.`
  const { field, factor = 1 } = fn.field_value_factor
  if (!leaf.field.startsWith(prefix) || !field.startsWith(prefix)) return undefined
  if (!values.every((v): v is string => typeof v === 'string')) return undefined
  const weights = indexes.nestedWeights(
    nested.path,
    leaf.field.slice(prefix.length),
    field.slice(prefix.length),
  )
  if (!weights) return undefined
  const cursors = [...new Set(values)].map((value) => weights.cursor(value))
  const mode = nested.score_mode ?? 'avg'
  return (d, s) => {
    if (weights.irregular(d)) return read(d, s)
    let matched = 0
    let sum = 0
    let max = 0
    for (const cursor of cursors) {
      const weight = cursor.weightOf(d)
      if (weight === ABSENT) continue
      if (Number.isNaN(weight) || matched === 2) return read(d, s)
      const score = factor * weight
      if (score < 0) continue
      matched++
      sum += score
      max = Math.max(max, score)
    }
    return nestedScore(mode, matched, sum, max)
  }
}

/** The field indexes, outside `nested` only: inside, a field's index covers every object, not this one. */
function topLevel(scope: Scope): FieldIndexes | undefined {
  return scope.nestedPath ? undefined : scope.indexes
}

/** `tags.name` reads `name` of each tag inside `nested tags`, and `tags.name` nowhere else. */
function localName(field: string, scope: Scope): string {
  return scope.nestedPath && field.startsWith(`${scope.nestedPath}.`)
    ? field.slice(scope.nestedPath.length + 1)
    : field
}

/** Whether the field's value (or one of an array's) passes `test`; a missing value never does. */
function someValue(value: unknown, test: (v: unknown) => boolean): boolean {
  if (value === undefined || value === null) return false
  return Array.isArray(value) ? value.some(test) : test(value)
}
