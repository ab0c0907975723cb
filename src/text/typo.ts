/**
 * @module The typo rule for names, as plain keyword sets so that every backend can apply it with
 * one `terms` query: a query word of at least {@link MIN_TYPO_WORD_LENGTH} letters matches a name
 * word when deleting at most one character from each makes them equal (the symmetric-delete
 * neighbourhood of SymSpell). That admits one substitution, insertion, deletion or transposition,
 * the usual typos, and keeps the index small: a word of n letters adds at most n + 1 keys.
 */

/** Shorter words would match too much: `li` is one deletion from half of all surnames. */
export const MIN_TYPO_WORD_LENGTH = 4

/** The word itself and each one-character deletion of it; empty for words too short to fuzz. */
export function deletionNeighbourhood(word: string): string[] {
  const chars = [...word]
  if (chars.length < MIN_TYPO_WORD_LENGTH) return []
  const out = new Set([word])
  for (let i = 0; i < chars.length; i++) out.add(chars.slice(0, i).join('') + chars.slice(i + 1).join(''))
  return [...out]
}

/** The neighbourhoods of every Latin-script word (CJK tokens are single characters: no typos). */
export function nameDeletions(words: readonly string[]): string[] {
  const out = new Set<string>()
  for (const word of words) for (const key of deletionNeighbourhood(word)) out.add(key)
  return [...out]
}
