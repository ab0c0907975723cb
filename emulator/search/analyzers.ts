/**
 * @module Tablestore's TEXT analyzers: single_word, split and fuzzy, implemented from the docs.
 *
 * - single_word: every CJK character (Han, Hiragana, Katakana) is a token; runs of letters and
 *   digits are tokens split on spaces and punctuation. `caseSensitive` (default false) keeps
 *   case; `delimitWord` (default false) also splits letter runs from digit runs (iphone6 → iphone, 6).
 *   Hangul and other scripts are treated as letters, so they form runs.
 * - split: splits on `delimiter` (default: any whitespace), drops empty pieces, lower-cases.
 * - fuzzy: lower-cases, keeps the first 1024 characters, and emits every n-gram of
 *   `minChars`..`maxChars` (defaults 1 and 7) characters; phrase matching is substring matching.
 */

/** A token and its position within one analysed value. */
export interface Token {
  readonly term: string
  readonly position: number
}

export type Analyzer =
  | { readonly name: 'single_word'; readonly caseSensitive: boolean; readonly delimitWord: boolean }
  | { readonly name: 'split'; readonly delimiter: string | undefined }
  | { readonly name: 'fuzzy'; readonly minChars: number; readonly maxChars: number }

/** Fuzzy analysis only looks at the first 1024 characters (documented limit). */
export const FUZZY_MAX_TEXT = 1024

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const WORD = /[\p{L}\p{N}\p{M}]/u
const DIGIT = /\p{N}/u

/** A token with where it sits in the analysed text (UTF-16 offsets, `end` exclusive), for highlighting. */
export interface Span {
  readonly term: string
  readonly start: number
  readonly end: number
}

function singleWord(text: string, caseSensitive: boolean, delimitWord: boolean): Span[] {
  const out: Span[] = []
  let run = ''
  let runStart = 0
  const flush = (): void => {
    if (!run) return
    if (delimitWord) out.push(...splitLetterDigit(run, runStart))
    else out.push({ term: run, start: runStart, end: runStart + run.length })
    run = ''
  }
  let i = 0
  for (const ch of text) {
    if (CJK.test(ch)) {
      flush()
      out.push({ term: ch, start: i, end: i + ch.length })
    } else if (WORD.test(ch)) {
      if (!run) runStart = i
      run += ch
    } else {
      flush()
    }
    i += ch.length
  }
  flush()
  return caseSensitive ? out : out.map((t) => ({ ...t, term: t.term.toLowerCase() }))
}

function splitLetterDigit(run: string, offset: number): Span[] {
  const parts: Span[] = []
  let cur = ''
  let curStart = offset
  let curDigit: boolean | undefined
  let i = offset
  for (const ch of run) {
    const isDigit = DIGIT.test(ch)
    if (cur && isDigit !== curDigit) {
      parts.push({ term: cur, start: curStart, end: i })
      cur = ''
      curStart = i
    }
    cur += ch
    curDigit = isDigit
    i += ch.length
  }
  if (cur) parts.push({ term: cur, start: curStart, end: i })
  return parts
}

function splitSpans(text: string, delimiter: string | undefined): Span[] {
  const out: Span[] = []
  const push = (piece: string, start: number): void => {
    if (piece.length > 0) out.push({ term: piece.toLowerCase(), start, end: start + piece.length })
  }
  if (!delimiter) {
    for (const m of text.matchAll(/\S+/gu)) push(m[0], m.index)
    return out
  }
  let start = 0
  for (let at = text.indexOf(delimiter); at >= 0; at = text.indexOf(delimiter, start)) {
    push(text.slice(start, at), start)
    start = at + delimiter.length
  }
  push(text.slice(start), start)
  return out
}

/**
 * The tokens of a single_word or split field with their offsets; fuzzy fields have none (their
 * n-grams overlap: they match and highlight substrings instead).
 */
export function tokenSpans(analyzer: Analyzer, text: string): Span[] {
  switch (analyzer.name) {
    case 'single_word':
      return singleWord(text, analyzer.caseSensitive, analyzer.delimitWord)
    case 'split':
      return splitSpans(text, analyzer.delimiter)
    case 'fuzzy':
      return []
  }
}

/** Lower-cased, length-capped text that fuzzy fields match substrings against. */
export function fuzzyNormalize(text: string): string {
  return [...text].slice(0, FUZZY_MAX_TEXT).join('').toLowerCase()
}

function ngrams(text: string, min: number, max: number): string[] {
  const chars = [...fuzzyNormalize(text)]
  const out: string[] = []
  for (let i = 0; i < chars.length; i++)
    for (let n = min; n <= max && i + n <= chars.length; n++) out.push(chars.slice(i, i + n).join(''))
  return out
}

/** Tokenises one value with positions (positions are consecutive token indexes). */
export function analyze(analyzer: Analyzer, text: string): Token[] {
  const terms =
    analyzer.name === 'fuzzy'
      ? ngrams(text, analyzer.minChars, analyzer.maxChars)
      : tokenSpans(analyzer, text).map((s) => s.term)
  return terms.map((term, position) => ({ term, position }))
}
