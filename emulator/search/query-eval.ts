/**
 * @module Evaluates a {@link QueryNode} on one document (or nested child): undefined when it does
 * not match, otherwise its relevance score.
 *
 * Scoring follows the Lucene/Elasticsearch model Tablestore is built on: BM25 for match,
 * match_phrase and term on TEXT/KEYWORD; constant scores for filters (terms, prefix, wildcard,
 * range, exists, geo, numeric terms); bool sums must + should; filter and must_not add nothing.
 */
import type { Value } from '../model/values.ts'
import { compareUtf8 } from '../model/values.ts'
import { analyze, fuzzyNormalize } from './analyzers.ts'
import type { CorpusStats } from './corpus-stats.ts'
import { fieldLength, idf, tfNorm } from './corpus-stats.ts'
import type { FieldBag, IndexedField } from './documents.ts'
import { arcDistance, inBoundingBox, inPolygon } from './geo.ts'
import type { QueryNode } from './query.ts'
import type { FieldSpec } from './schema.ts'

const DEFAULT_ANALYZER = { name: 'single_word', caseSensitive: false, delimitWord: false } as const

function textField(bag: FieldBag, spec: FieldSpec): Extract<IndexedField, { type: 'TEXT' }> | undefined {
  const f = bag.get(spec.path)
  return f?.type === 'TEXT' ? f : undefined
}

function termFreq(bag: FieldBag, spec: FieldSpec, term: string): number {
  const f = bag.get(spec.path)
  if (f?.type === 'TEXT')
    return f.tokens.reduce((n, toks) => n + toks.filter((t) => t.term === term).length, 0)
  if (f?.type === 'KEYWORD') return f.values.filter((v) => v === term).length
  return 0
}

/** BM25 score of one term in one bag (0 when absent). */
function termScore(stats: CorpusStats, bag: FieldBag, spec: FieldSpec, term: string): number {
  const tf = termFreq(bag, spec, term)
  if (tf === 0) return 0
  const { docCount, avgLength } = stats.field(spec)
  const df = stats.docFreq(spec, term, (b) => termFreq(b, spec, term) > 0)
  const f = bag.get(spec.path)
  const length = f ? fieldLength(f) : 1
  return idf(docCount, df) * tfNorm(tf, length, avgLength, spec.type === 'TEXT')
}

function phraseFreq(
  tokens: readonly (readonly { term: string; position: number }[])[],
  phrase: readonly string[],
): number {
  let n = 0
  for (const toks of tokens)
    for (let i = 0; i + phrase.length <= toks.length; i++)
      if (phrase.every((t, k) => toks[i + k]?.term === t)) n++
  return n
}

function fuzzyContains(f: Extract<IndexedField, { type: 'TEXT' }>, text: string): boolean {
  const needle = fuzzyNormalize(text)
  return needle.length > 0 && (f.fuzzy ?? []).some((v) => v.includes(needle))
}

function matchQuery(
  node: Extract<QueryNode, { type: 'match' }>,
  bag: FieldBag,
  stats: CorpusStats,
): number | undefined {
  const { field: spec } = node
  if (spec.type === 'KEYWORD') return keywordEquals(node.text, bag, spec, stats, node.weight)
  const f = textField(bag, spec)
  if (!f) return undefined
  // A fuzzy field's n-grams make OR matching meaningless; Tablestore points match at phrase (substring) use.
  if (spec.analyzer?.name === 'fuzzy') return fuzzyContains(f, node.text) ? node.weight : undefined
  const terms = [...new Set(analyze(spec.analyzer ?? DEFAULT_ANALYZER, node.text).map((t) => t.term))]
  if (terms.length === 0) return undefined
  const scores = terms.map((t) => termScore(stats, bag, spec, t))
  const matched = scores.filter((s) => s > 0).length
  const required = node.and ? terms.length : Math.min(node.minimumShouldMatch, terms.length)
  if (matched < required) return undefined
  return scores.reduce((a, b) => a + b, 0) * node.weight
}

function keywordEquals(
  text: string,
  bag: FieldBag,
  spec: FieldSpec,
  stats: CorpusStats,
  weight: number,
): number | undefined {
  const score = termScore(stats, bag, spec, text)
  return score > 0 ? score * weight : undefined
}

function matchPhrase(
  node: Extract<QueryNode, { type: 'match_phrase' }>,
  bag: FieldBag,
  stats: CorpusStats,
): number | undefined {
  const { field: spec } = node
  if (spec.type === 'KEYWORD') return keywordEquals(node.text, bag, spec, stats, node.weight)
  const f = textField(bag, spec)
  if (!f) return undefined
  if (spec.analyzer?.name === 'fuzzy') return fuzzyContains(f, node.text) ? node.weight : undefined
  const phrase = analyze(spec.analyzer ?? DEFAULT_ANALYZER, node.text).map((t) => t.term)
  if (phrase.length === 0) return undefined
  const freq = phraseFreq(f.tokens, phrase)
  if (freq === 0) return undefined
  const { docCount, avgLength } = stats.field(spec)
  const idfSum = phrase.reduce(
    (sum, t) =>
      sum +
      idf(
        docCount,
        stats.docFreq(spec, t, (b) => termFreq(b, spec, t) > 0),
      ),
    0,
  )
  return idfSum * tfNorm(freq, fieldLength(f), avgLength) * node.weight
}

/** Compares a stored scalar with a query value of the field's type (numbers across LONG/DOUBLE). */
function compareScalar(stored: bigint | number | boolean | string, query: Value): number {
  if (typeof stored === 'string' && query.kind === 'STRING') return compareUtf8(stored, query.value)
  if (typeof stored === 'boolean' && query.kind === 'BOOLEAN') return Number(stored) - Number(query.value)
  if (typeof stored === 'bigint' && query.kind === 'INTEGER')
    return stored < query.value ? -1 : stored > query.value ? 1 : 0
  const a = Number(stored)
  const b = Number(query.value)
  return a < b ? -1 : a > b ? 1 : 0
}

function scalars(bag: FieldBag, spec: FieldSpec): readonly (bigint | number | boolean | string)[] {
  const f = bag.get(spec.path)
  if (!f) return []
  switch (f.type) {
    case 'LONG':
    case 'DOUBLE':
    case 'BOOLEAN':
    case 'KEYWORD':
      return f.values
    case 'TEXT':
      return f.tokens.flatMap((toks) => toks.map((t) => t.term))
    default:
      return []
  }
}

function termMatches(bag: FieldBag, spec: FieldSpec, value: Value): boolean {
  return scalars(bag, spec).some((s) => compareScalar(s, value) === 0)
}

function termQuery(
  node: Extract<QueryNode, { type: 'term' }>,
  bag: FieldBag,
  stats: CorpusStats,
): number | undefined {
  if (!termMatches(bag, node.field, node.value)) return undefined
  if (node.value.kind === 'STRING') return termScore(stats, bag, node.field, node.value.value) * node.weight
  return node.weight
}

function inRange(node: Extract<QueryNode, { type: 'range' }>, bag: FieldBag): boolean {
  return scalars(bag, node.field).some((s) => {
    if (node.from) {
      const c = compareScalar(s, node.from)
      if (c < 0 || (c === 0 && !node.includeLower)) return false
    }
    if (node.to) {
      const c = compareScalar(s, node.to)
      if (c > 0 || (c === 0 && !node.includeUpper)) return false
    }
    return true
  })
}

function strings(bag: FieldBag, spec: FieldSpec): readonly string[] {
  return scalars(bag, spec).filter((s): s is string => typeof s === 'string')
}

function geoPoints(bag: FieldBag, spec: FieldSpec): readonly { lat: number; lon: number }[] {
  const f = bag.get(spec.path)
  return f?.type === 'GEO_POINT' ? f.values : []
}

function combine(
  scores: readonly number[],
  mode: Extract<QueryNode, { type: 'nested' }>['scoreMode'],
): number {
  switch (mode) {
    case 'none':
      return 0
    case 'avg':
      return scores.reduce((a, b) => a + b, 0) / scores.length
    case 'max':
      return Math.max(...scores)
    case 'min':
      return Math.min(...scores)
    case 'total':
      return scores.reduce((a, b) => a + b, 0)
  }
}

function boolQuery(
  node: Extract<QueryNode, { type: 'bool' }>,
  bag: FieldBag,
  stats: CorpusStats,
): number | undefined {
  let score = 0
  for (const q of node.must) {
    const s = evaluate(q, bag, stats)
    if (s === undefined) return undefined
    score += s
  }
  for (const q of node.filter) if (evaluate(q, bag, stats) === undefined) return undefined
  for (const q of node.mustNot) if (evaluate(q, bag, stats) !== undefined) return undefined
  let matchedShould = 0
  for (const q of node.should) {
    const s = evaluate(q, bag, stats)
    if (s === undefined) continue
    matchedShould++
    score += s
  }
  // Elasticsearch default: with no must/filter clause at least one should clause must match.
  const required =
    node.minimumShouldMatch ??
    (node.should.length > 0 && node.must.length === 0 && node.filter.length === 0 ? 1 : 0)
  return matchedShould >= required ? score : undefined
}

/** Score of `node` on `bag`, or undefined when it does not match. */
export function evaluate(node: QueryNode, bag: FieldBag, stats: CorpusStats): number | undefined {
  switch (node.type) {
    case 'match_all':
      return 1
    case 'match':
      return matchQuery(node, bag, stats)
    case 'match_phrase':
      return matchPhrase(node, bag, stats)
    case 'term':
      return termQuery(node, bag, stats)
    case 'terms':
      return node.values.some((v) => termMatches(bag, node.field, v)) ? node.weight : undefined
    case 'prefix':
      return strings(bag, node.field).some((s) => s.startsWith(node.prefix)) ? node.weight : undefined
    case 'wildcard':
      return strings(bag, node.field).some((s) => node.pattern.test(s)) ? node.weight : undefined
    case 'range':
      return inRange(node, bag) ? 1 : undefined
    case 'exists':
      return bag.has(node.field.path) ? 1 : undefined
    case 'bool':
      return boolQuery(node, bag, stats)
    case 'const_score':
      return evaluate(node.filter, bag, stats) === undefined ? undefined : 1
    case 'function_score': {
      const s = evaluate(node.query, bag, stats)
      if (s === undefined) return undefined
      // Documents without the factor field score 0 (they still match) and so rank last.
      const [factor] = scalars(bag, node.field)
      return factor === undefined ? 0 : s * Number(factor)
    }
    case 'nested': {
      const f = bag.get(node.path.path)
      if (f?.type !== 'NESTED') return undefined
      const scores = f.children.flatMap((child) => {
        const s = evaluate(node.query, child, stats)
        return s === undefined ? [] : [s]
      })
      return scores.length === 0 ? undefined : combine(scores, node.scoreMode) * node.weight
    }
    case 'geo_distance':
      return geoPoints(bag, node.field).some((p) => arcDistance(p, node.center) <= node.distance)
        ? 1
        : undefined
    case 'geo_bounding_box':
      return geoPoints(bag, node.field).some((p) => inBoundingBox(p, node.topLeft, node.bottomRight))
        ? 1
        : undefined
    case 'geo_polygon':
      return geoPoints(bag, node.field).some((p) => inPolygon(p, node.points)) ? 1 : undefined
  }
}
