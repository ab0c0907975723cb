/**
 * @module Positional text index for the message analyzer: each document's token sequence is kept
 * (as token numbers in one shared typed array) so that phrase adjacency is checked exactly, and
 * per-token postings give candidate documents. Scoring is BM25 over the same tokens.
 */
import { intersectionOf } from './intersection.ts'
import {
  MAP_ENTRY_BYTES,
  type MemoryTally,
  POSTING_OBJECT_BYTES,
  SLOT_BYTES,
  stringsBytes,
} from './memory-usage.ts'
import {
  type Candidates,
  NO_CANDIDATES,
  type PackedPostings,
  Posting,
  packPostings,
  unpackPostings,
} from './posting.ts'
import { TokenNumbers } from './token-numbers.ts'

/** BM25 parameters: Lucene's and Elasticsearch's defaults. */
const K1 = 1.2
const B = 0.75

function grow(array: Int32Array<ArrayBuffer>, needed: number): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array
  const grown = new Int32Array(Math.max(needed, array.length * 2))
  grown.set(array)
  return grown
}

/** A {@link TextIndex} as saved: tokens by number, their postings and counts, each document's tokens. */
export interface TextIndexSnapshot {
  /** Token number → token. */
  tokens: string[]
  postings: PackedPostings
  df: Int32Array
  /** The documents' token numbers, document after document. */
  arena: Int32Array
  /** Per document number, where its tokens end in `arena` (they start where the previous one's end). */
  ends: Int32Array
  liveDocs: number
  liveTokens: number
}

export class TextIndex {
  readonly #tokenIds = new TokenNumbers()
  readonly #postings: Posting[] = []
  #df = new Int32Array(1024)
  /** Token number → the last document it was posted for: dedupes a document's tokens without a Set. */
  #lastDoc = new Int32Array(1024)
  #arena = new Int32Array(1 << 16)
  #arenaUsed = 0
  /**
   * Document n's tokens are `arena[ends[n - 1] ?? 0, ends[n])` for n below `#ended`; later
   * documents have none. One array, not a start and a length a document: a scored document's
   * bounds are then one cache line, not two (a load each match of a common word), and 4 B less.
   */
  #ends = new Int32Array(1024)
  #ended = 0
  #liveDocs = 0
  #liveTokens = 0
  /** What {@link warm} read, kept: loads whose values go unused could be dropped by the compiler. */
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: written only, on purpose (see above)
  #warmed = 0

  add(docNo: number, tokens: readonly string[]): void {
    this.#liveDocs++
    // An empty field takes no room: past the arrays' end a document reads as empty (zero-filled
    // below it), so a field most documents leave empty (attachment names) costs no 8 B each.
    if (tokens.length === 0) return
    this.#arena = grow(this.#arena, this.#arenaUsed + tokens.length)
    this.#ends = grow(this.#ends, docNo + 1)
    // Documents are added in ascending numbers: those between had no tokens.
    this.#ends.fill(this.#arenaUsed, this.#ended, docNo)
    for (const token of tokens) {
      let id = this.#tokenIds.get(token)
      if (id === undefined) {
        id = this.#tokenIds.add(token)
        this.#postings.push(new Posting(2))
        this.#df = grow(this.#df, id + 1)
        this.#lastDoc = grow(this.#lastDoc, id + 1)
        this.#lastDoc[id] = -1
      }
      this.#arena[this.#arenaUsed++] = id
      if (this.#lastDoc[id] !== docNo) {
        this.#lastDoc[id] = docNo
        ;(this.#postings[id] as Posting).push(docNo)
        this.#df[id] = (this.#df[id] as number) + 1
      }
    }
    this.#ends[docNo] = this.#arenaUsed
    this.#ended = docNo + 1
    this.#liveTokens += tokens.length
  }

  /** Where document `docNo`'s tokens start in the arena. */
  #startOf(docNo: number): number {
    return docNo > 0 && docNo < this.#ended ? (this.#ends[docNo - 1] as number) : 0
  }

  /** Where they end (where they start, for a document without tokens). */
  #endOf(docNo: number): number {
    return docNo < this.#ended ? (this.#ends[docNo] as number) : 0
  }

  /**
   * A copy of the index for documents `[0, documents)` that later writes leave unchanged. The
   * token sequences are views, not copies: a document's tokens are written once, and the arrays
   * grow by replacement, so the views keep what they show.
   */
  toSnapshot(documents: number): TextIndexSnapshot {
    return {
      tokens: this.#tokenIds.tokens().slice(),
      postings: packPostings(this.#postings),
      df: this.#df.slice(0, this.#postings.length),
      arena: this.#arena.subarray(0, this.#arenaUsed),
      ends: this.#ends.subarray(0, Math.min(this.#ended, documents)),
      liveDocs: this.#liveDocs,
      liveTokens: this.#liveTokens,
    }
  }

  /** The index of {@link toSnapshot}; its arrays are used in place (they grow by replacement). */
  static fromSnapshot(snapshot: TextIndexSnapshot): TextIndex {
    const index = new TextIndex()
    const tokens = snapshot.tokens
    const postings = unpackPostings(snapshot.postings)
    if (postings.length !== tokens.length || snapshot.df.length !== tokens.length)
      throw new Error('text tokens, postings and counts differ')
    let end = 0
    for (const next of snapshot.ends) {
      if (next < end) throw new Error('text token ends descend')
      end = next
    }
    if (end > snapshot.arena.length) throw new Error('text token ends beyond the tokens')
    for (let id = 0; id < tokens.length; id++) {
      const token = tokens[id] as string
      if (index.#tokenIds.get(token) !== undefined) throw new Error('a text token is saved twice')
      index.#tokenIds.add(token)
      index.#postings.push(postings[id] as Posting)
    }
    index.#df = snapshot.df as Int32Array<ArrayBuffer>
    // Only documents added after the load are compared with it: -1 matches none of them.
    index.#lastDoc = new Int32Array(Math.max(tokens.length, 1)).fill(-1)
    index.#arena = snapshot.arena as Int32Array<ArrayBuffer>
    index.#arenaUsed = snapshot.arena.length
    index.#ends = snapshot.ends as Int32Array<ArrayBuffer>
    index.#ended = snapshot.ends.length
    index.#liveDocs = snapshot.liveDocs
    index.#liveTokens = snapshot.liveTokens
    return index
  }

  /** Forget a document's statistics; its postings are skipped as dead until compaction. */
  remove(docNo: number): void {
    const tokens = this.tokensOf(docNo)
    for (const id of new Set(tokens)) this.#df[id] = (this.#df[id] as number) - 1
    this.#liveDocs--
    this.#liveTokens -= tokens.length
  }

  /** Token numbers of the query's tokens; undefined when a token occurs in no document. */
  lookup(tokens: readonly string[]): number[] | undefined {
    const ids: number[] = []
    for (const token of tokens) {
      const id = this.#tokenIds.get(token)
      if (id === undefined) return undefined
      ids.push(id)
    }
    return ids
  }

  tokenId(token: string): number | undefined {
    return this.#tokenIds.get(token)
  }

  /**
   * Whether the document's tokens hold `ids` contiguously and in order (`containsSequence` of
   * src/text/match-rule.ts), read in place: a view per candidate was most of a search's garbage.
   */
  hasSequence(docNo: number, ids: readonly number[]): boolean {
    const arena = this.#arena
    const start = this.#startOf(docNo)
    const last = this.#endOf(docNo) - ids.length
    for (let i = start; i <= last; i++) {
      let j = 0
      while (j < ids.length && arena[i + j] === ids[j]) j++
      if (j === ids.length) return true
    }
    return ids.length === 0
  }

  /**
   * Reads the token bounds, then the first tokens, of the documents `docNos[0, count)`: a loop
   * of independent loads each, whose cache misses overlap, ahead of the per-document phrase
   * checks and BM25 that would take them one after another (see `Plan.warm`). What is read is
   * kept (a sum) so that the loads are not optimized away.
   */
  warm(docNos: Int32Array, count: number): void {
    const ends = this.#ends
    const arena = this.#arena
    const ended = this.#ended
    let sum = 0
    for (let i = 0; i < count; i++) {
      const docNo = docNos[i] as number
      if (docNo < ended) sum += ends[docNo] as number
    }
    for (let i = 0; i < count; i++) sum += arena[this.#startOf(docNos[i] as number)] ?? 0
    this.#warmed = sum
  }

  tokensOf(docNo: number): Int32Array {
    return this.#arena.subarray(this.#startOf(docNo), this.#endOf(docNo))
  }

  posting(id: number): Candidates {
    return this.#postings[id] ?? NO_CANDIDATES
  }

  /** The documents holding every one of the tokens (postings intersected, shortest first). */
  allOf(ids: readonly number[]): Candidates {
    const postings: Posting[] = []
    for (const id of ids) {
      const posting = this.#postings[id]
      if (!posting) return NO_CANDIDATES
      postings.push(posting)
    }
    return intersectionOf(postings)
  }

  /**
   * BM25 of a document for the distinct query tokens it contains, times `boost`, written to
   * `out[0]`, with the query's idfs computed once. Written, not returned: a fraction returned from
   * a call V8 does not inline is a heap number, one a match (0.9 MB of the 10% user's 今天 at ten
   * million messages, measured with inlining turned off; where V8 inlines it, it costs nothing).
   */
  scoreInto(ids: readonly number[], boost: number, out: Float64Array): (docNo: number) => void {
    const distinct = [...new Set(ids)]
    const avgLength = this.#liveDocs > 0 ? this.#liveTokens / this.#liveDocs : 1
    const idfs = distinct.map((id) => {
      const df = this.#df[id] as number
      return Math.log(1 + (this.#liveDocs - df + 0.5) / (df + 0.5))
    })
    return (docNo) => {
      const arena = this.#arena
      const start = this.#startOf(docNo)
      const end = this.#endOf(docNo)
      const length = end - start
      const norm = K1 * (1 - B + (B * length) / avgLength)
      let score = 0
      for (let k = 0; k < distinct.length; k++) {
        const id = distinct[k] as number
        let tf = 0
        for (let i = start; i < end; i++) if (arena[i] === id) tf++
        if (tf > 0) score += ((idfs[k] as number) * (tf * (K1 + 1))) / (tf + norm)
      }
      out[0] = boost * score
    }
  }

  /** Typed arrays exactly (per-term counts with the postings); the token map and posting objects estimated. */
  memoryUsage(tally: MemoryTally): void {
    for (const posting of this.#postings) tally.add('postings', posting.byteLength)
    tally.add('postings', this.#df.byteLength + this.#lastDoc.byteLength)
    tally.add('positions', this.#arena.byteLength + this.#ends.byteLength)
    const numbers = this.#tokenIds
    tally.add(
      'terms',
      numbers.size * (2 * SLOT_BYTES + POSTING_OBJECT_BYTES) + numbers.mapped * MAP_ENTRY_BYTES,
    )
    tally.add('terms', numbers.tableBytes + stringsBytes(numbers.tokens(), numbers.size))
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const posting of this.#postings) posting.compact(keep)
  }
}
