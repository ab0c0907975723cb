/**
 * @module A nested keyword field's values with a numeric sibling of the same object beside each
 * document (a tag's name and its weight): a function score over the nested objects (the tag
 * search's sum of matched tags' weights) is read from typed arrays instead of each candidate's
 * tag objects. At a million messages a tag search scored 10,700 users by loading their tag
 * arrays, objects and names, scattered in the heap (most of its time, `bench/profile/discovery-profile.ts`).
 *
 * Made on the first search that needs it, from the documents, then kept by every write (like the
 * facet columns): snapshots need not save it. Where a document's objects do not fit one number a
 * value (the value twice, a weight that is not a finite number, the value inside an array, the
 * field not an array) the document is marked to be read instead, so answers stay those of the documents.
 */
import { MAP_ENTRY_BYTES, type MemoryTally, OBJECT_BYTES } from './memory-usage.ts'
import type { Source } from './plan.ts'

/**
 * One value's documents (ascending numbers) and, beside each, its object's number or {@link READ}.
 * The numbers are 32-bit floats (12 bytes a document and value became 8: 1.1 B a message of the
 * heap at 1M messages after the bench's tag search); a weight a float32 does not hold exactly
 * (0.7, 1e16) is kept as {@link READ}, so its document is read and its score stays exact. Tag
 * weights are mostly halves and whole numbers.
 */
class WeightList {
  docs = new Int32Array(4)
  weights = new Float32Array(4)
  length = 0

  push(docNo: number, weight: number): void {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(this.length * 2)
      docs.set(this.docs)
      this.docs = docs
      const weights = new Float32Array(this.length * 2)
      weights.set(this.weights)
      this.weights = weights
    }
    this.docs[this.length] = docNo
    this.weights[this.length++] = Math.fround(weight) === weight ? weight : READ
  }

  /** The position of `docNo` at or after `from` by galloping, else before it by bisection; -1 when absent. */
  find(docNo: number, from: number): number {
    const docs = this.docs
    let lo = 0
    let hi = this.length
    if (from < hi && (docs[from] as number) <= docNo) {
      // Ascending visits (a posting's candidates) find the next one a step or two on.
      lo = from
      let step = 1
      while (lo + step < hi && (docs[lo + step] as number) <= docNo) {
        lo += step
        step *= 2
      }
      hi = Math.min(hi, lo + step)
    } else hi = Math.min(hi, from)
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((docs[mid] as number) < docNo) lo = mid + 1
      else hi = mid
    }
    return lo < this.length && docs[lo] === docNo ? lo : -1
  }

  compact(keep: (docNo: number) => boolean): void {
    let n = 0
    for (let i = 0; i < this.length; i++) {
      const docNo = this.docs[i] as number
      if (!keep(docNo)) continue
      this.docs[n] = docNo
      this.weights[n++] = this.weights[i] as number
    }
    this.length = n
    this.docs = this.docs.slice(0, Math.max(n, 1))
    this.weights = this.weights.slice(0, Math.max(n, 1))
  }
}

/** Beside a document in a value's list: read the document (see the module). NaN, which no weight is here. */
export const READ = Number.NaN

/** A document's number for one value, found by a {@link WeightCursor}: absent, or {@link READ}. */
export const ABSENT = Number.NEGATIVE_INFINITY

/**
 * One value's weights for one search: remembers where the last document was found, so candidates
 * visited in ascending order (a posting's) cost a step each; any order is answered.
 */
export class WeightCursor {
  readonly #list: WeightList | undefined
  #at = 0

  constructor(list: WeightList | undefined) {
    this.#list = list
  }

  /** The number beside `docNo` for this value, {@link READ}, or {@link ABSENT} when the document has none. */
  weightOf(docNo: number): number {
    const list = this.#list
    if (!list) return ABSENT
    const at = list.find(docNo, this.#at)
    if (at < 0) return ABSENT
    this.#at = at
    return list.weights[at] as number
  }
}

export class NestedWeights {
  readonly #path: string
  readonly #key: string
  readonly #weight: string
  readonly #lists = new Map<string, WeightList>()
  /** Documents whose field is not an array, or holds a value inside an array: always read. */
  readonly #irregular = new Set<number>()

  /** For the objects of `path`: the string values of `key`, the numbers of `weight`. */
  constructor(path: string, key: string, weight: string) {
    this.#path = path
    this.#key = key
    this.#weight = weight
  }

  add(docNo: number, source: Source): void {
    const objects = source[this.#path]
    if (objects === undefined || objects === null) return
    if (!Array.isArray(objects)) {
      this.#irregular.add(docNo)
      return
    }
    for (const object of objects as unknown[]) {
      const value = (object as Source | null)?.[this.#key]
      if (Array.isArray(value)) this.#irregular.add(docNo)
      if (typeof value !== 'string') continue
      const weight = (object as Source)[this.#weight]
      let list = this.#lists.get(value)
      if (!list) {
        list = new WeightList()
        this.#lists.set(value, list)
      }
      const last = list.length - 1
      if (last >= 0 && list.docs[last] === docNo) list.weights[last] = READ
      else list.push(docNo, typeof weight === 'number' && Number.isFinite(weight) ? weight : READ)
    }
  }

  /** A cursor over `value`'s documents (none when no document holds it). */
  cursor(value: string): WeightCursor {
    return new WeightCursor(this.#lists.get(value))
  }

  /** Whether `docNo` must be read from its document (see the module). */
  irregular(docNo: number): boolean {
    return this.#irregular.size > 0 && this.#irregular.has(docNo)
  }

  compact(keep: (docNo: number) => boolean): void {
    for (const [value, list] of this.#lists) {
      list.compact(keep)
      if (list.length === 0) this.#lists.delete(value)
    }
    for (const docNo of this.#irregular) if (!keep(docNo)) this.#irregular.delete(docNo)
  }

  /** The lists' arrays exactly; their objects and the map estimated. */
  memoryUsage(tally: MemoryTally): void {
    for (const list of this.#lists.values()) {
      tally.add('postings', list.docs.byteLength + list.weights.byteLength)
      tally.add('terms', MAP_ENTRY_BYTES + 3 * OBJECT_BYTES)
    }
    tally.add('terms', this.#irregular.size * MAP_ENTRY_BYTES)
  }
}
