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

function singleWord(text: string, caseSensitive: boolean, delimitWord: boolean): string[] {
  const out: string[] = []
  let run = ''
  const flush = (): void => {
    if (!run) return
    if (delimitWord) out.push(...splitLetterDigit(run))
    else out.push(run)
    run = ''
  }
  for (const ch of text) {
    if (CJK.test(ch)) {
      flush()
      out.push(ch)
    } else if (WORD.test(ch)) {
      run += ch
    } else {
      flush()
    }
  }
  flush()
  return caseSensitive ? out : out.map((t) => t.toLowerCase())
}

function splitLetterDigit(run: string): string[] {
  const parts: string[] = []
  let cur = ''
  let curDigit: boolean | undefined
  for (const ch of run) {
    const isDigit = DIGIT.test(ch)
    if (cur && isDigit !== curDigit) {
      parts.push(cur)
      cur = ''
    }
    cur += ch
    curDigit = isDigit
  }
  if (cur) parts.push(cur)
  return parts
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
  let terms: string[]
  switch (analyzer.name) {
    case 'single_word':
      terms = singleWord(text, analyzer.caseSensitive, analyzer.delimitWord)
      break
    case 'split':
      terms = (analyzer.delimiter ? text.split(analyzer.delimiter) : text.split(/\s+/u))
        .filter((t) => t.length > 0)
        .map((t) => t.toLowerCase())
      break
    case 'fuzzy':
      terms = ngrams(text, analyzer.minChars, analyzer.maxChars)
      break
  }
  return terms.map((term, position) => ({ term, position }))
}
