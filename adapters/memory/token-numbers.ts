/**
 * @module Token → token number for a text index. Most tokens of Chinese text are one UTF-16 unit
 * (the analyzer's rule makes each CJK character a token), so those are found by a table indexed
 * by the unit, without hashing a string made for the token; longer ones are in a map.
 */

/** One entry per UTF-16 code unit: 256 KiB, made on the first one-unit token. */
const UNITS = 0x10000

export class TokenNumbers {
  /** One-unit token → number, -1 for none. */
  #units: Int32Array | undefined
  readonly #longer = new Map<string, number>()
  /** Number → token: the numbers are given in order, from 0. */
  readonly #tokens: string[] = []

  get size(): number {
    return this.#tokens.length
  }

  /** The tokens in number order. */
  tokens(): readonly string[] {
    return this.#tokens
  }

  get(token: string): number | undefined {
    if (token.length !== 1) return this.#longer.get(token)
    const number = this.#units?.[token.charCodeAt(0)] ?? -1
    return number < 0 ? undefined : number
  }

  /** Numbers `token`, which must not be numbered yet, with the next number; returns it. */
  add(token: string): number {
    const number = this.#tokens.length
    this.#tokens.push(token)
    if (token.length !== 1) this.#longer.set(token, number)
    else {
      this.#units ??= new Int32Array(UNITS).fill(-1)
      this.#units[token.charCodeAt(0)] = number
    }
    return number
  }

  /** What the table and the map hold, less the token strings (see `memory-usage.ts`). */
  get tableBytes(): number {
    return this.#units?.byteLength ?? 0
  }

  get mapped(): number {
    return this.#longer.size
  }
}
