/**
 * @module How a user's query string becomes terms: split on white space, a "quoted phrase" is
 * one term, and each term is the token sequence of its text. Every term must match.
 */
import { tokenize } from './analyzer.ts'

/** A query term: the original text and its token sequence (never empty). */
export interface QueryTerm {
  text: string
  tokens: string[]
}

/** Upper bounds that keep one query's cost bounded; documented in the README. */
export const MAX_QUERY_LENGTH = 256
export const MAX_QUERY_TERMS = 16

/**
 * Split a query string into terms. Terms with no tokens (punctuation only) are dropped: they
 * cannot match anything and would otherwise make every query with a stray `-` empty.
 * An unbalanced quote opens a phrase that runs to the end of the string.
 */
export function parseQueryTerms(query: string): QueryTerm[] {
  const terms: QueryTerm[] = []
  const pattern = /"([^"]*)"?|(\S+)/g
  for (const m of query.normalize('NFKC').matchAll(pattern)) {
    const text = m[1] ?? m[2] ?? ''
    const tokens = tokenize(text)
    if (tokens.length > 0) terms.push({ text, tokens })
  }
  return terms
}
