/**
 * @module The token sequence of a `text` field's value. A list of texts (a message's attachment
 * names) is one sequence with {@link VALUE_SEPARATOR} between its values: a phrase matches inside
 * one value, never across two, since no query ever yields the separator as a token.
 */
import { tokenize } from './analyzer.ts'

/**
 * Between the tokens of two values of a list. The analyzer never yields it (it is a symbol, not
 * a letter or digit), so no phrase can span it; it holds no white space, so a backend that
 * splits a pre-tokenized column on spaces keeps it as one token.
 */
export const VALUE_SEPARATOR = '\u241e'

/** The tokens of a text value, or of each value of a list with the separator between them. */
export function fieldTokens(value: unknown): string[] {
  if (typeof value === 'string') return tokenize(value)
  if (!Array.isArray(value)) return []
  const out: string[] = []
  for (const item of value) {
    if (typeof item !== 'string') continue
    if (out.length > 0) out.push(VALUE_SEPARATOR)
    for (const token of tokenize(item)) out.push(token)
  }
  return out
}
