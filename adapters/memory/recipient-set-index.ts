/**
 * @module An array keyword field whose arrays repeat: message recipients. Every distinct array is
 * stored once as a set with the postings of the documents that carry it; a value points to the
 * sets it is in. A group's messages between two membership changes share one set, so the cost
 * per message is one posting and one set number, not one posting per recipient (a 2,000-member
 * group would otherwise add 2,000 postings per message).
 *
 * It also answers "may this user see document n" in O(1), which is what makes the permission
 * filter cheap to apply first.
 */
import { type Candidates, NO_CANDIDATES, Posting, unionOf } from './posting.ts'

interface RecipientSet {
  readonly members: ReadonlySet<string>
  /** The canonical array, shared by every document with this set. */
  readonly values: readonly string[]
  readonly docs: Posting
}

export class RecipientSetIndex {
  readonly #sets: RecipientSet[] = []
  readonly #byKey = new Map<string, number>()
  readonly #byValue = new Map<string, number[]>()
  /** docNo → set number (-1: none). */
  #setOf = new Int32Array(1024).fill(-1)

  /** Index the document's values; returns the shared array to keep in the stored document. */
  add(docNo: number, values: readonly string[]): readonly string[] {
    const sorted = [...new Set(values)].sort()
    const key = sorted.join('\u0000')
    let setNo = this.#byKey.get(key)
    if (setNo === undefined) {
      setNo = this.#sets.length
      this.#sets.push({ members: new Set(sorted), values: sorted, docs: new Posting() })
      this.#byKey.set(key, setNo)
      for (const value of sorted) {
        const list = this.#byValue.get(value)
        if (list) list.push(setNo)
        else this.#byValue.set(value, [setNo])
      }
    }
    const set = this.#sets[setNo] as RecipientSet
    set.docs.push(docNo)
    this.#ensure(docNo)
    this.#setOf[docNo] = setNo
    return set.values
  }

  has(docNo: number, value: string): boolean {
    const setNo = docNo < this.#setOf.length ? (this.#setOf[docNo] as number) : -1
    return setNo >= 0 && (this.#sets[setNo] as RecipientSet).members.has(value)
  }

  term(value: string): Candidates {
    const setNos = this.#byValue.get(value)
    if (!setNos) return NO_CANDIDATES
    return unionOf(setNos.map((n) => (this.#sets[n] as RecipientSet).docs))
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const set of this.#sets) set.docs.compact(keep)
  }

  #ensure(docNo: number): void {
    if (docNo < this.#setOf.length) return
    const grown = new Int32Array(Math.max(docNo + 1, this.#setOf.length * 2)).fill(-1)
    grown.set(this.#setOf)
    this.#setOf = grown
  }
}
