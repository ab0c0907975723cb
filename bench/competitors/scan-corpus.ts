/**
 * @module The side tables the competitors share: each message's tokens (numbers in one typed
 * array, as our engine keeps them), its recipient list (shared per distinct list), conversation
 * and time. The phrase check and the permission check of minisearch and flexsearch read these, so
 * their cost is the engines' own and not a re-tokenization; the brute-force scan reads only these.
 */
import { tokenize } from '../../src/text/analyzer.ts'
import { containsSequence } from '../../src/text/match-rule.ts'
import type { CorpusMessage } from '../corpus/index.ts'

function grow<T extends Int32Array | Float64Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array
  const grown = make(Math.max(needed, array.length * 2))
  grown.set(array)
  return grown
}

export class ScanCorpus {
  readonly #dict = new Map<string, number>()
  #df = new Int32Array(1024)
  #arena = new Int32Array(1 << 16)
  #used = 0
  #start = new Int32Array(1024)
  #length = new Int32Array(1024)
  #setOf = new Int32Array(1024)
  readonly #setNo = new Map<readonly string[], number>()
  readonly sets: ReadonlySet<string>[] = []
  #conversation = new Int32Array(1024)
  readonly #conversationNo = new Map<string, number>()
  #sentAt = new Float64Array(1024)
  size = 0
  totalTokens = 0

  /** Adds the message as document number `size`; returns that number. */
  add(message: CorpusMessage): number {
    const doc = this.size++
    const tokens = tokenize(message.content)
    const i32 = (n: number) => new Int32Array(n)
    this.#arena = grow(this.#arena, this.#used + tokens.length, i32)
    this.#start = grow(this.#start, doc + 1, i32)
    this.#length = grow(this.#length, doc + 1, i32)
    this.#setOf = grow(this.#setOf, doc + 1, i32)
    this.#conversation = grow(this.#conversation, doc + 1, i32)
    this.#sentAt = grow(this.#sentAt, doc + 1, (n) => new Float64Array(n))
    this.#start[doc] = this.#used
    this.#length[doc] = tokens.length
    const seen = new Set<number>()
    for (const token of tokens) {
      let id = this.#dict.get(token)
      if (id === undefined) {
        id = this.#dict.size
        this.#dict.set(token, id)
        this.#df = grow(this.#df, id + 1, i32)
      }
      this.#arena[this.#used++] = id
      if (!seen.has(id)) {
        seen.add(id)
        this.#df[id]!++
      }
    }
    this.totalTokens += tokens.length
    let setNo = this.#setNo.get(message.recipients)
    if (setNo === undefined) {
      setNo = this.sets.length
      this.#setNo.set(message.recipients, setNo)
      this.sets.push(new Set(message.recipients))
    }
    this.#setOf[doc] = setNo
    let conv = this.#conversationNo.get(message.conversationId)
    if (conv === undefined) {
      conv = this.#conversationNo.size
      this.#conversationNo.set(message.conversationId, conv)
    }
    this.#conversation[doc] = conv
    this.#sentAt[doc] = message.sentAt
    return doc
  }

  /** Drop build-only lookups (the identity map of recipient arrays). */
  sealed(): this {
    this.#setNo.clear()
    return this
  }

  visible(doc: number, userId: string): boolean {
    return (this.sets[this.#setOf[doc]!] as ReadonlySet<string>).has(userId)
  }

  tokensOf(doc: number): Int32Array {
    const start = this.#start[doc]!
    return this.#arena.subarray(start, start + this.#length[doc]!)
  }

  /** Token numbers of a term's tokens; undefined when one occurs nowhere. */
  termIds(tokens: readonly string[]): number[] | undefined {
    const ids: number[] = []
    for (const t of tokens) {
      const id = this.#dict.get(t)
      if (id === undefined) return undefined
      ids.push(id)
    }
    return ids
  }

  matchesAll(doc: number, terms: readonly (readonly number[])[]): boolean {
    const tokens = this.tokensOf(doc)
    for (const term of terms) if (!containsSequence(tokens, term)) return false
    return true
  }

  conversationNo(conversationId: string): number {
    return this.#conversationNo.get(conversationId) ?? -1
  }

  conversationOf(doc: number): number {
    return this.#conversation[doc]!
  }

  sentAt(doc: number): number {
    return this.#sentAt[doc]!
  }

  /** BM25 (k1 1.2, b 0.75) of the document for the distinct token numbers, as our engine scores. */
  bm25(doc: number, ids: readonly number[]): number {
    const tokens = this.tokensOf(doc)
    const avg = this.totalTokens / Math.max(1, this.size)
    const norm = 1.2 * (0.25 + (0.75 * tokens.length) / avg)
    let score = 0
    for (const id of new Set(ids)) {
      let tf = 0
      for (let i = 0; i < tokens.length; i++) if (tokens[i] === id) tf++
      if (tf === 0) continue
      const df = this.#df[id]!
      score += (Math.log(1 + (this.size - df + 0.5) / (df + 0.5)) * tf * 2.2) / (tf + norm)
    }
    return score
  }
}
