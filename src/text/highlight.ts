/**
 * @module Highlights: the content, HTML-escaped, with each occurrence of a query term wrapped in
 * `<em>...</em>`. Computed in the core from the shared analyzer, so both backends highlight alike.
 */
import { normalizeText, tokenizeWithPositions } from './analyzer.ts'
import type { QueryTerm } from './query-terms.ts'

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

const SPECIAL = /[&<>"']/

export function escapeHtml(text: string): string {
  // Most chat text has nothing to escape: a test is cheaper than a replace with a callback.
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch) : text
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * Characters each a grapheme of their own whose normal form has their length and that never
 * combine with a neighbour (ASCII, CJK punctuation less its combining tone marks, kana less the
 * voicing marks, the unified ideographs, full-width ASCII, the common emoji less skin tones and
 * variation selectors): in content of only these, the normal form's offsets are the original's,
 * so a highlight needs no segmentation (most chat text; the unit tests check every character).
 */
export const ONE_TO_ONE =
  /^[\t\n\r\x20-\x7e\u2600-\u27bf\u3000-\u3029\u3030-\u303f\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\uff01-\uff5e\u{1f300}-\u{1f3fa}\u{1f400}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f900}-\u{1f9ff}]*$/u

interface Normalized {
  normalized: string
  /** The original range covering the normal-form range [start, end): whole graphemes. */
  toOriginal(start: number, end: number): [number, number]
}

const sameOffsets = (start: number, end: number): [number, number] => [start, end]

function normalizeWithOffsets(content: string): Normalized {
  if (ONE_TO_ONE.test(content)) return { normalized: normalizeText(content), toOriginal: sameOffsets }
  const offsets = normalizeByGrapheme(content)
  return { normalized: offsets.normalized, toOriginal: (start, end) => toOriginal(start, end, offsets) }
}

/**
 * The normal form of `content` with, for each grapheme, where it starts in the original and in
 * the normal form: NFKC may expand (ﬁ → fi) or contract (ｶﾞ → ガ) text, so offsets in the normal
 * form are mapped back through grapheme boundaries, never assumed equal.
 */
function normalizeByGrapheme(content: string): { normalized: string; original: number[]; mapped: number[] } {
  let normalized = ''
  const original: number[] = []
  const mapped: number[] = []
  for (const { segment, index } of graphemes.segment(content)) {
    original.push(index)
    mapped.push(normalized.length)
    normalized += normalizeText(segment)
  }
  original.push(content.length)
  mapped.push(normalized.length)
  return { normalized, original, mapped }
}

function toOriginal(
  start: number,
  end: number,
  offsets: { original: number[]; mapped: number[] },
): [number, number] {
  const { original, mapped } = offsets
  let first = 0
  while (first + 1 < mapped.length && (mapped[first + 1] as number) <= start) first++
  let last = first
  while (last + 1 < mapped.length && (mapped[last + 1] as number) < end) last++
  return [original[first] as number, original[last + 1] as number]
}

/**
 * Highlight `content` for `terms`: the original text, HTML-escaped, with every occurrence of a
 * term's token sequence wrapped in `<em>`; matching runs on the normal form, marks on the original.
 */
export function highlight(content: string, terms: readonly QueryTerm[]): string {
  // A filter-only search has nothing to mark: skip the per-grapheme normalisation (most of a
  // listing page's cost).
  if (terms.length === 0) return escapeHtml(content)
  const offsets = normalizeWithOffsets(content)
  const tokens = tokenizeWithPositions(offsets.normalized)
  const marked: [number, number][] = []
  for (const term of terms) {
    const n = term.tokens.length
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true
      for (let j = 0; j < n && ok; j++) ok = tokens[i + j]?.token === term.tokens[j]
      const first = tokens[i]
      const lastToken = tokens[i + n - 1]
      if (ok && first && lastToken) marked.push(offsets.toOriginal(first.start, lastToken.end))
    }
  }
  if (marked.length === 0) return escapeHtml(content)
  const merged = mergeRanges(marked)
  let out = ''
  let at = 0
  for (const [start, end] of merged) {
    out += `${escapeHtml(content.slice(at, start))}<em>${escapeHtml(content.slice(start, end))}</em>`
    at = end
  }
  return out + escapeHtml(content.slice(at))
}

/** Overlapping or touching ranges become one, so `<em>` tags never nest. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: [number, number][] = []
  for (const r of ranges) {
    const prev = out[out.length - 1]
    if (prev && r[0] <= prev[1]) prev[1] = Math.max(prev[1], r[1])
    else out.push([r[0], r[1]])
  }
  return out
}
