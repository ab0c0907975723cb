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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch)
}

/**
 * Highlight `content` for `terms`. Offsets are computed on the NFKC, lower-cased form; when that
 * form has a different length from the original (NFKC can expand or contract characters), the
 * normalised text is highlighted instead so that offsets always line up.
 */
export function highlight(content: string, terms: readonly QueryTerm[]): string {
  const normalized = normalizeText(content)
  const display = normalized.length === content.length ? content : normalized
  const tokens = tokenizeWithPositions(normalized)
  const marked: [number, number][] = []
  for (const term of terms) {
    const n = term.tokens.length
    for (let i = 0; i + n <= tokens.length; i++) {
      let ok = true
      for (let j = 0; j < n && ok; j++) ok = tokens[i + j]?.token === term.tokens[j]
      const first = tokens[i]
      const lastToken = tokens[i + n - 1]
      if (ok && first && lastToken) marked.push([first.start, lastToken.end])
    }
  }
  if (marked.length === 0) return escapeHtml(display)
  const merged = mergeRanges(marked)
  let out = ''
  let at = 0
  for (const [start, end] of merged) {
    out += `${escapeHtml(display.slice(at, start))}<em>${escapeHtml(display.slice(start, end))}</em>`
    at = end
  }
  return out + escapeHtml(display.slice(at))
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
