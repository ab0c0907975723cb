/**
 * @module Which document numbers hold a live document, a bit each: a search tells a deleted
 * candidate from a live one without loading its document slot (a pointer, eight bytes a
 * document, and a cache miss a candidate at ten million documents, where the bits of a chunk of
 * candidates share a few cache lines).
 */
export class LiveDocs {
  #words = new Uint32Array(32)

  /** The live documents of `docs` (undefined where deleted), as a snapshot restores them. */
  static of(docs: readonly unknown[]): LiveDocs {
    const live = new LiveDocs()
    for (let docNo = docs.length - 1; docNo >= 0; docNo--) if (docs[docNo] !== undefined) live.add(docNo)
    return live
  }

  /**
   * The bits, word `docNo >>> 5`, bit `docNo & 31`: for loops that test many candidates (see
   * {@link isLive}). Replaced when it grows: read it again after a write.
   */
  get words(): Uint32Array {
    return this.#words
  }

  has(docNo: number): boolean {
    return isLive(this.#words, docNo)
  }

  add(docNo: number): void {
    const word = docNo >>> 5
    if (word >= this.#words.length) {
      const grown = new Uint32Array(Math.max(word + 1, Math.ceil(this.#words.length * 1.25)))
      grown.set(this.#words)
      this.#words = grown
    }
    this.#words[word] = (this.#words[word] as number) | (1 << (docNo & 31))
  }

  delete(docNo: number): void {
    const word = docNo >>> 5
    if (word < this.#words.length) this.#words[word] = (this.#words[word] as number) & ~(1 << (docNo & 31))
  }

  get byteLength(): number {
    return this.#words.byteLength
  }
}

/** Whether bit `docNo` of `words` (see {@link LiveDocs.words}) is set. */
export function isLive(words: Uint32Array, docNo: number): boolean {
  return (((words[docNo >>> 5] ?? 0) >>> (docNo & 31)) & 1) === 1
}
