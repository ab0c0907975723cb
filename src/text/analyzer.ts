/**
 * @module The message-content analyzer: the one tokenization rule every backend and the oracle share.
 *
 * Rule (normative): normalise with Unicode NFKC, then lower-case. Each Han, Hiragana, Katakana or
 * Hangul character is a token of its own; each maximal run of other letters and digits (including
 * combining marks) is one token; everything else separates tokens.
 *
 * Per-character CJK tokens need no dictionary, so recall is total (测 finds 测试) and the rule is
 * the same in every language; phrase adjacency (see `match-rule.ts`) restores precision.
 */

/** Characters that are each a token of their own. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
/** One token: a CJK character, or a run of other letters, marks and digits. */
const TOKEN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{M}\p{N}])+/gu

/** NFKC, then lower-case: the normal form that tokens and highlights are computed on. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/** The content's tokens, in order. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? []
}

/** A token with where it stands in the normalised text, for highlighting. */
export interface PositionedToken {
  token: string
  /** UTF-16 offset in the normalised text. */
  start: number
  end: number
}

export function tokenizeWithPositions(normalized: string): PositionedToken[] {
  const out: PositionedToken[] = []
  for (const m of normalized.matchAll(TOKEN)) {
    out.push({ token: m[0], start: m.index, end: m.index + m[0].length })
  }
  return out
}

/** Whether a token is a single CJK character (useful to backends that index bigrams). */
export function isCjkToken(token: string): boolean {
  return CJK.test(token) && [...token].length === 1
}
