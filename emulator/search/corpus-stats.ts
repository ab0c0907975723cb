/**
 * @module Corpus statistics for BM25: documents per field, average field length, document frequency.
 *
 * Statistics are computed over the documents visible to one search (or, for fields inside a
 * NESTED field, over all nested children at that path), lazily and cached for that search only.
 */
import type { FieldBag, IndexedDoc } from './documents.ts'
import type { FieldSpec } from './schema.ts'

export class CorpusStats {
  readonly #bagsByPath = new Map<string, readonly FieldBag[]>()
  readonly #fieldStats = new Map<string, { docCount: number; avgLength: number }>()
  readonly #df = new Map<string, number>()

  constructor(
    readonly docs: readonly IndexedDoc[],
    readonly byPath: ReadonlyMap<string, FieldSpec>,
  ) {}

  /** Bags at a nesting level: the documents, or every nested child at `nestedPath`. */
  bags(nestedPath: string | undefined): readonly FieldBag[] {
    const key = nestedPath ?? ''
    const cached = this.#bagsByPath.get(key)
    if (cached) return cached
    let bags: readonly FieldBag[]
    if (nestedPath === undefined) bags = this.docs.map((d) => d.fields)
    else {
      const parent = this.bags(this.byPath.get(nestedPath)?.nestedParent)
      bags = parent.flatMap((bag) => {
        const f = bag.get(nestedPath)
        return f?.type === 'NESTED' ? f.children : []
      })
    }
    this.#bagsByPath.set(key, bags)
    return bags
  }

  /** Number of bags holding the field and their average length in tokens (values for non-TEXT). */
  field(spec: FieldSpec): { docCount: number; avgLength: number } {
    const cached = this.#fieldStats.get(spec.path)
    if (cached) return cached
    let docCount = 0
    let total = 0
    for (const bag of this.bags(spec.nestedParent)) {
      const f = bag.get(spec.path)
      if (!f) continue
      docCount++
      total += fieldLength(f)
    }
    const stats = { docCount, avgLength: docCount > 0 ? total / docCount : 0 }
    this.#fieldStats.set(spec.path, stats)
    return stats
  }

  /** Number of bags in which `matches` holds for the field. */
  docFreq(spec: FieldSpec, term: string, matches: (bag: FieldBag) => boolean): number {
    const key = `${spec.path}\u0000${term}`
    const cached = this.#df.get(key)
    if (cached !== undefined) return cached
    let n = 0
    for (const bag of this.bags(spec.nestedParent)) if (matches(bag)) n++
    this.#df.set(key, n)
    return n
  }
}

/** Field length: token count for TEXT, element count otherwise. */
export function fieldLength(f: NonNullable<ReturnType<FieldBag['get']>>): number {
  if (f.type === 'TEXT') return f.tokens.reduce((n, t) => n + t.length, 0)
  if (f.type === 'NESTED') return f.children.length
  return f.values.length
}

const K1 = 1.2
const B = 0.75

/** BM25 inverse document frequency (Lucene's form, always positive). */
export function idf(docCount: number, docFreq: number): number {
  return Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))
}

/** BM25 term-frequency saturation with length normalisation (`normLength` false for keywords). */
export function tfNorm(tf: number, length: number, avgLength: number, normLength = true): number {
  const norm = normLength && avgLength > 0 ? 1 - B + (B * length) / avgLength : 1
  return (tf * (K1 + 1)) / (tf + K1 * norm)
}
