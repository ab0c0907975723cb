/**
 * @module How long the hardening suites run. The default fits `npm test` on the 2-core CI machine
 * (about half a minute for the fuzz suite); `IMSEARCH_LONG=1` multiplies the fuzz runs and
 * stretches the load rounds for a soak before a release.
 */

/** `IMSEARCH_LONG=1`: the long variant of the fuzz and load suites. */
export const LONG = process.env.IMSEARCH_LONG === '1'

/** Property runs: `n` by default, 20 × `n` in the long variant. */
export function runs(n: number): number {
  return LONG ? n * 20 : n
}
