/**
 * @module The exact text-matching rule, as a pure function: the reference every backend must
 * reproduce and the oracle's definition of a hit.
 */

/** Whether `needle` occurs contiguously, in order, in `haystack`. */
export function containsSequence<T>(haystack: ArrayLike<T>, needle: ArrayLike<T>): boolean {
  if (needle.length === 0) return true
  const last = haystack.length - needle.length
  outer: for (let i = 0; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer
    }
    return true
  }
  return false
}

/** Every term's token sequence occurs in the content's token sequence. */
export function matchesAllTerms(
  contentTokens: readonly string[],
  terms: readonly { tokens: string[] }[],
): boolean {
  return terms.every((term) => containsSequence(contentTokens, term.tokens))
}
