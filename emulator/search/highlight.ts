/**
 * @module Highlight ("summary and highlighting"): text fragments of TEXT fields around the terms a
 * query matched, the terms wrapped in pre/post tags.
 *
 * Built from Tablestore's pages:
 * - HighlightParameter (https://www.alibabacloud.com/help/en/tablestore/developer-reference/highlightparameter):
 *   `field_name` must have highlighting enabled when the index is created; `fragment_size` defaults
 *   to 100; `pre_tag`/`post_tag` default to `<em>`/`</em>` and may only use `< > " ' /`, a-z, A-Z
 *   and 0-9; `fragments_order` TEXT_SEQUENCE (default) or SCORE.
 * - Highlight for the Node.js SDK (https://alibabacloud.com/help/en/tablestore/developer-reference/query-highlight-by-using-nodejs-sdk):
 *   SDK 5.5.0+, only TEXT fields; a match or match-phrase query may tag a query string with several
 *   pre/post tag pairs (each token is tagged on its own); a query string cut by a fragment boundary
 *   may stay untagged; `highlightEncoder` PLAIN_MODE (default) or HTML_MODE (the text is
 *   HTML-escaped).
 * - Summary and highlighting for Java (https://www.alibabacloud.com/help/en/tablestore/developer-reference/java-summary-highlighting):
 *   a field must be used in a query condition (term, terms, match, match phrase, prefix, wildcard,
 *   range, inside bool or const score), "otherwise no highlighted fragments are returned for the
 *   field".
 *
 * The docs are silent on the default `number_of_fragments` (they recommend 1): the emulator uses 5,
 * Elasticsearch's default. Fragments are cut at token boundaries once `fragment_size` characters
 * are reached; a fragment's score is the number of distinct query terms it contains, and only
 * fragments that contain one are returned (the best ones when there are more than asked for).
 * Range queries and nested inner hits are not highlighted (refused/ignored: see `decodeHighlight`).
 */
import { invalidParameter, unsupported } from '../errors.ts'
import type { HighlightMsg } from '../protocol/messages.ts'
import { has } from '../protocol/proto.ts'
import type { Span } from './analyzers.ts'
import { analyze, fuzzyNormalize, tokenSpans } from './analyzers.ts'
import type { IndexedDoc } from './documents.ts'
import type { QueryNode } from './query.ts'
import type { FieldSpec, SearchSchema } from './schema.ts'

const DEFAULT_FRAGMENT_SIZE = 100
const DEFAULT_FRAGMENTS = 5
const DEFAULT_PRE_TAG = '<em>'
const DEFAULT_POST_TAG = '</em>'
const TAG_CHARS = /^[<>"'/a-zA-Z0-9]*$/
const DEFAULT_ANALYZER = { name: 'single_word', caseSensitive: false, delimitWord: false } as const

interface FieldHighlight {
  readonly field: FieldSpec
  readonly fragments: number
  readonly fragmentSize: number
  readonly preTag: string
  readonly postTag: string
  readonly byScore: boolean
}

export interface HighlightSpec {
  readonly fields: readonly FieldHighlight[]
  readonly html: boolean
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback
  if (!Number.isInteger(n) || n < 1)
    throw invalidParameter(`Highlight ${what} must be a positive integer, got ${n}.`)
  return n
}

function tag(value: string | undefined, fallback: string, what: string): string {
  const t = value ?? fallback
  if (!TAG_CHARS.test(t))
    throw invalidParameter(`Highlight ${what} '${t}' may only use the characters < > " ' / a-z A-Z 0-9.`)
  return t
}

/** Decodes and checks a request's highlight settings against the index schema. */
export function decodeHighlight(msg: HighlightMsg, schema: SearchSchema): HighlightSpec {
  if (msg.highlightParameters.length === 0) throw invalidParameter('Highlight needs at least one field.')
  const fields = msg.highlightParameters.map((p): FieldHighlight => {
    const field = schema.byPath.get(p.fieldName)
    if (!field) throw invalidParameter(`Highlight field ${p.fieldName} does not exist in the search index.`)
    if (field.nestedParent !== undefined) throw unsupported('Highlighting nested fields (inner hits)')
    if (field.type !== 'TEXT' || !field.highlight)
      throw invalidParameter(`Highlight field ${p.fieldName} must be a TEXT field with enable_highlighting.`)
    return {
      field,
      fragments: positive(
        has(p, 'numberOfFragments') ? p.numberOfFragments : undefined,
        DEFAULT_FRAGMENTS,
        'number_of_fragments',
      ),
      fragmentSize: positive(
        has(p, 'fragmentSize') ? p.fragmentSize : undefined,
        DEFAULT_FRAGMENT_SIZE,
        'fragment_size',
      ),
      preTag: tag(has(p, 'preTag') ? p.preTag : undefined, DEFAULT_PRE_TAG, 'pre_tag'),
      postTag: tag(has(p, 'postTag') ? p.postTag : undefined, DEFAULT_POST_TAG, 'post_tag'),
      byScore: has(p, 'fragmentsOrder') && p.fragmentsOrder === 2,
    }
  })
  return { fields, html: has(msg, 'highlightEncoder') && msg.highlightEncoder === 2 }
}

/** What a query looks for in one TEXT field. */
interface Wanted {
  readonly terms: Set<string>
  readonly phrases: string[][]
  readonly tests: ((term: string) => boolean)[]
  /** Fuzzy fields: lower-cased substrings. */
  readonly substrings: string[]
}

function collect(node: QueryNode, field: FieldSpec, into: Wanted): void {
  const analyzer = field.analyzer ?? DEFAULT_ANALYZER
  switch (node.type) {
    case 'bool':
      for (const child of [...node.must, ...node.filter, ...node.should]) collect(child, field, into)
      return
    case 'const_score':
      collect(node.filter, field, into)
      return
    case 'function_score':
      collect(node.query, field, into)
      return
    case 'match':
    case 'match_phrase': {
      if (node.field !== field) return
      if (analyzer.name === 'fuzzy') {
        into.substrings.push(fuzzyNormalize(node.text))
        return
      }
      const tokens = analyze(analyzer, node.text).map((t) => t.term)
      if (node.type === 'match') for (const t of tokens) into.terms.add(t)
      else into.phrases.push(tokens)
      return
    }
    case 'term':
      if (node.field === field && node.value.kind === 'STRING') into.terms.add(node.value.value)
      return
    case 'terms':
      if (node.field === field) for (const v of node.values) if (v.kind === 'STRING') into.terms.add(v.value)
      return
    case 'prefix':
      if (node.field === field) into.tests.push((t) => t.startsWith(node.prefix))
      return
    case 'wildcard':
      if (node.field === field) into.tests.push((t) => node.pattern.test(t))
      return
    default:
      return
  }
}

/** The spans of `text` to tag, each with the term it matched (for fragment scores). */
function matches(text: string, field: FieldSpec, wanted: Wanted): { span: Span; key: string }[] {
  const out: { span: Span; key: string }[] = []
  const analyzer = field.analyzer ?? DEFAULT_ANALYZER
  if (analyzer.name === 'fuzzy') {
    const lower = text.toLowerCase()
    for (const needle of wanted.substrings)
      for (let at = needle ? lower.indexOf(needle) : -1; at >= 0; at = lower.indexOf(needle, at + 1))
        out.push({ span: { term: needle, start: at, end: at + needle.length }, key: needle })
    return out
  }
  const spans = tokenSpans(analyzer, text)
  spans.forEach((span, i) => {
    if (wanted.terms.has(span.term) || wanted.tests.some((t) => t(span.term)))
      out.push({ span, key: span.term })
    for (const phrase of wanted.phrases)
      if (phrase.length > 0 && phrase.every((t, k) => spans[i + k]?.term === t))
        phrase.forEach((_, k) => {
          const s = spans[i + k]
          if (s) out.push({ span: s, key: phrase.join(' ') })
        })
  })
  return out
}

/** Fragment boundaries: cut at the first token that would run past `size` characters. */
function fragmentBounds(text: string, field: FieldSpec, size: number): [number, number][] {
  const analyzer = field.analyzer ?? DEFAULT_ANALYZER
  const starts = analyzer.name === 'fuzzy' ? [] : tokenSpans(analyzer, text)
  const bounds: [number, number][] = []
  let from = 0
  if (starts.length === 0)
    for (; from < text.length; from += size) bounds.push([from, Math.min(text.length, from + size)])
  else {
    for (const s of starts)
      if (s.end > from + size && s.start > from) {
        bounds.push([from, s.start])
        from = s.start
      }
    bounds.push([from, text.length])
  }
  return bounds
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '/': '&#x2F;',
}

function render(
  text: string,
  from: number,
  to: number,
  spans: readonly Span[],
  h: FieldHighlight,
  html: boolean,
): string {
  const encode = (s: string) => (html ? s.replace(/[&<>"'/]/g, (c) => HTML_ESCAPES[c] ?? c) : s)
  let out = ''
  let at = from
  for (const s of spans) {
    if (s.start < at || s.end > to) continue
    out += encode(text.slice(at, s.start)) + h.preTag + encode(text.slice(s.start, s.end)) + h.postTag
    at = s.end
  }
  return out + encode(text.slice(at, to))
}

interface Fragment {
  readonly order: number
  readonly score: number
  readonly text: string
}

/**
 * The highlighted fragments of one hit, per requested field that the query matched in it
 * (`HighlightResult.highlight_fields`); fields without a fragment are left out.
 */
export function highlightHit(
  spec: HighlightSpec,
  query: QueryNode,
  doc: IndexedDoc,
): { fieldName: string; fieldFragments: string[] }[] {
  const out: { fieldName: string; fieldFragments: string[] }[] = []
  for (const h of spec.fields) {
    const f = doc.fields.get(h.field.path)
    if (f?.type !== 'TEXT') continue
    const wanted: Wanted = { terms: new Set(), phrases: [], tests: [], substrings: [] }
    collect(query, h.field, wanted)
    const fragments: Fragment[] = []
    f.values.forEach((text, element) => {
      const found = matches(text, h.field, wanted)
      if (found.length === 0) return
      const spans = [...new Map(found.map((m) => [m.span.start, m.span])).values()].sort(
        (a, b) => a.start - b.start,
      )
      for (const [from, to] of fragmentBounds(text, h.field, h.fragmentSize)) {
        const keys = new Set(found.filter((m) => m.span.start >= from && m.span.end <= to).map((m) => m.key))
        if (keys.size > 0)
          fragments.push({
            order: element * 1e9 + from,
            score: keys.size,
            text: render(text, from, to, spans, h, spec.html),
          })
      }
    })
    if (fragments.length === 0) continue
    const best = [...fragments].sort((a, b) => b.score - a.score || a.order - b.order).slice(0, h.fragments)
    if (!h.byScore) best.sort((a, b) => a.order - b.order)
    out.push({ fieldName: h.field.name, fieldFragments: best.map((x) => x.text) })
  }
  return out
}
