/**
 * @module An array keyword field whose arrays repeat: message recipients. Every distinct array is
 * stored once as a set with the postings of the documents that carry it; a value points to the
 * sets it is in. A group's messages between two membership changes share one set, so the cost
 * per message is one posting and one set number, not one posting per recipient (a 2,000-member
 * group would otherwise add 2,000 postings per message).
 *
 * Members are interned to small integers and kept as a sorted `Int32Array` per set (4 bytes a
 * member, binary search for "may this user see document n"); sets are found again by a numeric
 * hash of their members, compared element by element, never by building a key string.
 */
import { type Candidates, NO_CANDIDATES, Posting, unionOf } from './posting.ts'

interface RecipientSet {
  /** Interned member numbers, ascending. */
  readonly members: Int32Array
  /** The canonical array, shared by every document with this set. */
  readonly values: readonly string[]
  readonly docs: Posting
}

/** FNV-1a over the member numbers: cheap, and collisions are resolved by comparison. */
function hashMembers(members: Int32Array): number {
  let h = 0x811c9dc5
  for (let i = 0; i < members.length; i++) h = Math.imul(h ^ (members[i] as number), 0x01000193)
  return h >>> 0
}

function sameMembers(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function contains(sorted: Int32Array, value: number): boolean {
  let lo = 0
  let hi = sorted.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = sorted[mid] as number
    if (v === value) return true
    if (v < value) lo = mid + 1
    else hi = mid - 1
  }
  return false
}

export class RecipientSetIndex {
  readonly #sets: RecipientSet[] = []
  readonly #byHash = new Map<number, number[]>()
  readonly #numbers = new Map<string, number>()
  /** Member number → the sets it is in. */
  readonly #setsOf: number[][] = []
  /** docNo → set number (-1: none). */
  #setOf = new Int32Array(1024).fill(-1)

  /** Index the document's values; returns the shared array to keep in the stored document. */
  add(docNo: number, values: readonly string[]): readonly string[] {
    const members = this.#intern(values)
    const hash = hashMembers(members)
    const candidates = this.#byHash.get(hash)
    let setNo = candidates?.find((n) => sameMembers((this.#sets[n] as RecipientSet).members, members))
    if (setNo === undefined) {
      setNo = this.#sets.length
      const unique = [...new Set(values)].sort()
      this.#sets.push({ members, values: unique, docs: new Posting() })
      if (candidates) candidates.push(setNo)
      else this.#byHash.set(hash, [setNo])
      for (const member of members) (this.#setsOf[member] as number[]).push(setNo)
    }
    const set = this.#sets[setNo] as RecipientSet
    set.docs.push(docNo)
    this.#ensure(docNo)
    this.#setOf[docNo] = setNo
    return set.values
  }

  has(docNo: number, value: string): boolean {
    const setNo = docNo < this.#setOf.length ? (this.#setOf[docNo] as number) : -1
    const member = this.#numbers.get(value)
    return setNo >= 0 && member !== undefined && contains((this.#sets[setNo] as RecipientSet).members, member)
  }

  term(value: string): Candidates {
    const member = this.#numbers.get(value)
    const setNos = member === undefined ? undefined : this.#setsOf[member]
    if (!setNos || setNos.length === 0) return NO_CANDIDATES
    return unionOf(setNos.map((n) => (this.#sets[n] as RecipientSet).docs))
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const set of this.#sets) set.docs.compact(keep)
  }

  /** Sorted, deduplicated member numbers; new values get the next number. */
  #intern(values: readonly string[]): Int32Array {
    const out = new Int32Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string
      let n = this.#numbers.get(value)
      if (n === undefined) {
        n = this.#setsOf.length
        this.#numbers.set(value, n)
        this.#setsOf.push([])
      }
      out[i] = n
    }
    out.sort()
    let unique = 0
    for (let i = 0; i < out.length; i++)
      if (i === 0 || out[i] !== out[i - 1]) out[unique++] = out[i] as number
    return unique === out.length ? out : out.slice(0, unique)
  }

  #ensure(docNo: number): void {
    if (docNo < this.#setOf.length) return
    const grown = new Int32Array(Math.max(docNo + 1, this.#setOf.length * 2)).fill(-1)
    grown.set(this.#setOf)
    this.#setOf = grown
  }
}
