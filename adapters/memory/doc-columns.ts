/**
 * @module Per-document columns of a field, for facets and grouped searches: each match is counted
 * by a number read from a typed array in document order, not by reading the field from its stored
 * document (a scattered object load at a million documents) and hashing its string. Built on the
 * first request that needs one (from the documents, so snapshots need not save them), then kept
 * up to date by every write; 4 bytes a document per column.
 */
import { QUARTER_HOUR_MS } from '../../src/query/time-zone.ts'
import type { Source } from './plan.ts'

/** In a column: the document has no value the column counts (missing, or of another type). */
export const NONE = -2147483648
/** In a column: the value has no number in the column (a keyword array, an instant out of range): read the document. */
export const READ = -2147483647

/**
 * A keyword field's string values, numbered from 0 in the order first seen: a document's number,
 * {@link NONE}, or {@link READ} for an array (counted per distinct string, from the document).
 */
export class KeywordColumn {
  readonly field: string
  /** Value number → value. */
  readonly values: string[] = []
  readonly #numbers = new Map<string, number>()
  #codes: Int32Array = new Int32Array(1024)

  constructor(field: string) {
    this.field = field
  }

  /** Document number → value number, {@link NONE} or {@link READ}. */
  get codes(): Int32Array {
    return this.#codes
  }

  set(docNo: number, source: Source): void {
    this.#codes = room(this.#codes, docNo)
    this.#codes[docNo] = this.#code(source[this.field])
  }

  #code(value: unknown): number {
    if (Array.isArray(value)) return READ
    if (typeof value !== 'string') return NONE
    let n = this.#numbers.get(value)
    if (n === undefined) {
      n = this.values.length
      this.values.push(value)
      this.#numbers.set(value, n)
    }
    return n
  }

  get byteLength(): number {
    return this.#codes.byteLength
  }
}

/**
 * A numeric epoch-ms field as quarter hours (`ms / QUARTER_HOUR_MS` rounded down, see
 * `ZoneDays.ofQuarter`): {@link NONE} where it is not a number, {@link READ} beyond 32 bits.
 */
export class QuarterHourColumn {
  readonly field: string
  #codes: Int32Array = new Int32Array(1024)

  constructor(field: string) {
    this.field = field
  }

  /** Document number → quarter hour, {@link NONE} or {@link READ}. */
  get codes(): Int32Array {
    return this.#codes
  }

  set(docNo: number, source: Source): void {
    this.#codes = room(this.#codes, docNo)
    const ms = source[this.field]
    if (typeof ms !== 'number') this.#codes[docNo] = NONE
    else {
      const quarter = Math.floor(ms / QUARTER_HOUR_MS)
      this.#codes[docNo] = quarter === (quarter | 0) && quarter > READ ? quarter : READ
    }
  }

  get byteLength(): number {
    return this.#codes.byteLength
  }
}

type Column = KeywordColumn | QuarterHourColumn

/** The columns of one index, made on first use and written with every document after that. */
export class DocColumns {
  readonly #columns = new Map<string, Column>()
  readonly #docs: readonly (object | undefined)[]

  /** @param docs the index's documents by number, live: columns are filled from it when made. */
  constructor(docs: readonly (object | undefined)[]) {
    this.#docs = docs
  }

  keyword(field: string): KeywordColumn {
    return this.#column(`keyword ${field}`, () => new KeywordColumn(field))
  }

  quarterHours(field: string): QuarterHourColumn {
    return this.#column(`quarter ${field}`, () => new QuarterHourColumn(field))
  }

  /** Document `docNo`, just stored, into every column made so far. */
  set(docNo: number, source: Source): void {
    for (const column of this.#columns.values()) column.set(docNo, source)
  }

  get byteLength(): number {
    let bytes = 0
    for (const column of this.#columns.values()) bytes += column.byteLength
    return bytes
  }

  #column<C extends Column>(key: string, make: () => C): C {
    let column = this.#columns.get(key) as C | undefined
    if (!column) {
      column = make()
      const docs = this.#docs
      // Deleted documents keep whatever their slot holds: searches never visit them.
      for (let docNo = 0; docNo < docs.length; docNo++) {
        const doc = docs[docNo]
        if (doc) column.set(docNo, doc as Source)
      }
      this.#columns.set(key, column)
    }
    return column
  }
}

/** `codes`, or a copy twice as long, so that `docNo` fits. */
function room(codes: Int32Array, docNo: number): Int32Array {
  if (docNo < codes.length) return codes
  const grown = new Int32Array(Math.max(docNo + 1, codes.length * 2))
  grown.set(codes)
  return grown
}
