/**
 * @module Which document numbers hold a live document, a bit each. A search's visit tests every
 * candidate (`match-chunks.ts`); read from the stored documents' slots, that test was a cache miss
 * a candidate at ten million documents (80 MB of slots, a candidate's own line each), where the
 * bits take 1.25 MB and stay in cache. On the loaded 10M snapshot, the 10% user's common word
 * (57,614 matches) visits more candidates than that a search (bench/README.md, 2026-12-06 late night).
 */
export class LiveBits {
  #words: Uint32Array
  /** Document numbers handed out so far: every one below is live or deleted. */
  #length = 0

  constructor(capacity = 1024) {
    this.#words = new Uint32Array(Math.ceil(capacity / 32))
  }

  /** A copy that later writes to either leave the other unchanged. */
  static copyOf(bits: LiveBits): LiveBits {
    const copy = new LiveBits(0)
    copy.#words = bits.#words.slice(0, Math.ceil(bits.#length / 32))
    copy.#length = bits.#length
    return copy
  }

  /** Document numbers handed out so far (the highest plus one). */
  get length(): number {
    return this.#length
  }

  /** The words, for a loop that tests many documents with {@link isLive}; a later {@link add} may replace them. */
  get words(): Uint32Array {
    return this.#words
  }

  add(docNo: number): void {
    const word = docNo >>> 5
    if (word >= this.#words.length) {
      const grown = new Uint32Array(Math.max(word + 1, this.#words.length * 2))
      grown.set(this.#words)
      this.#words = grown
    }
    this.#words[word] = (this.#words[word] as number) | (1 << (docNo & 31))
    if (docNo >= this.#length) this.#length = docNo + 1
  }

  /** Hands out `docNo` as a deleted document (a snapshot's deleted slot). */
  skip(docNo: number): void {
    if (docNo >= this.#length) this.#length = docNo + 1
  }

  delete(docNo: number): void {
    const word = docNo >>> 5
    if (word < this.#words.length) this.#words[word] = (this.#words[word] as number) & ~(1 << (docNo & 31))
  }

  has(docNo: number): boolean {
    return docNo < this.#length && isLive(this.#words, docNo)
  }

  get byteLength(): number {
    return this.#words.byteLength
  }
}

/** Whether `docNo` (below the bits' {@link LiveBits.length}) is live in `words`. */
export function isLive(words: Uint32Array, docNo: number): boolean {
  return (((words[docNo >>> 5] as number) >>> (docNo & 31)) & 1) === 1
}
