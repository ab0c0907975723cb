/**
 * @module Per-document columns of fields, for facets and grouped searches: each match is counted
 * by numbers read from a typed array, not by reading the field from its stored document (a
 * scattered object load at a million documents) and hashing its string. The columns of an index
 * are interleaved, a row per document ({@link DocColumns.table}), so a four-facet search loads one
 * row a match, not four cache lines. A column is made on the first request that needs it (from
 * the documents, so snapshots need not save it), then kept up to date by every write; 4 bytes a
 * document per column.
 */
import { QUARTER_HOUR_MS } from '../../src/query/time-zone.ts'
import type { Source } from './plan.ts'

/** In a column: the document has no value the column counts (missing, or of another type). */
export const NONE = -2147483648
/** In a column: the value has no number in the column (a keyword array, an instant out of range): read the document. */
export const READ = -2147483647

interface Column {
  readonly field: string
  /** The column's place in each row of {@link DocColumns.table}. */
  readonly offset: number
  code(value: unknown): number
}

/**
 * A keyword field's string values, numbered from 0 in the order first seen: a document's number,
 * {@link NONE}, or {@link READ} for an array (counted per distinct string, from the document).
 */
export class KeywordColumn implements Column {
  readonly field: string
  readonly offset: number
  /** Value number → value. */
  readonly values: string[] = []
  readonly #numbers = new Map<string, number>()

  constructor(field: string, offset: number) {
    this.field = field
    this.offset = offset
  }

  code(value: unknown): number {
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
}

/**
 * A numeric epoch-ms field as quarter hours (`ms / QUARTER_HOUR_MS` rounded down, see
 * `ZoneDays.ofQuarter`): {@link NONE} where it is not a number, {@link READ} beyond 32 bits.
 */
export class QuarterHourColumn implements Column {
  readonly field: string
  readonly offset: number

  constructor(field: string, offset: number) {
    this.field = field
    this.offset = offset
  }

  code(ms: unknown): number {
    if (typeof ms !== 'number') return NONE
    const quarter = Math.floor(ms / QUARTER_HOUR_MS)
    return quarter === (quarter | 0) && quarter > READ ? quarter : READ
  }
}

/** The columns of one index, made on first use and written with every document after that. */
export class DocColumns {
  readonly #columns = new Map<string, Column>()
  readonly #docs: readonly (object | undefined)[]
  #table = new Int32Array(0)
  #rows = 0

  /** @param docs the index's documents by number, live: columns are filled from it when made. */
  constructor(docs: readonly (object | undefined)[]) {
    this.#docs = docs
  }

  /**
   * Document `docNo`'s value of a column at `table[docNo * stride + column.offset]`. Replaced
   * when a column is made or rows are added: read it after making the columns a request needs.
   */
  get table(): Int32Array {
    return this.#table
  }

  /** Columns a row. */
  get stride(): number {
    return this.#columns.size
  }

  keyword(field: string): KeywordColumn {
    return this.#column(`keyword ${field}`, (offset) => new KeywordColumn(field, offset))
  }

  quarterHours(field: string): QuarterHourColumn {
    return this.#column(`quarter ${field}`, (offset) => new QuarterHourColumn(field, offset))
  }

  /** Document `docNo`, just stored, into every column made so far. */
  set(docNo: number, source: Source): void {
    const stride = this.stride
    if (stride === 0) return
    // A quarter more rows at a time: at ten million documents a doubling would leave 160 MB spare.
    if (docNo >= this.#rows)
      this.#grow(Math.max(docNo + 1, Math.ceil(this.#rows * 1.25), 1024), stride, stride)
    const row = docNo * stride
    for (const column of this.#columns.values())
      this.#table[row + column.offset] = column.code(source[column.field])
  }

  get byteLength(): number {
    return this.#table.byteLength
  }

  #column<C extends Column>(key: string, make: (offset: number) => C): C {
    let column = this.#columns.get(key) as C | undefined
    if (column) return column
    const offset = this.stride
    column = make(offset)
    this.#grow(Math.max(this.#rows, this.#docs.length), offset, offset + 1)
    this.#columns.set(key, column)
    const docs = this.#docs
    const table = this.#table
    // Deleted documents keep whatever their slot holds: searches never visit them.
    for (let docNo = 0; docNo < docs.length; docNo++) {
      const doc = docs[docNo] as Source | undefined
      if (doc) table[docNo * (offset + 1) + offset] = column.code(doc[column.field])
    }
    return column
  }

  /** The table as `rows` rows of `stride` columns, the `from` columns a row it had copied. */
  #grow(rows: number, from: number, stride: number): void {
    const old = this.#table
    const table = new Int32Array(rows * stride)
    if (from === stride) table.set(old)
    else
      for (let docNo = 0; docNo < this.#rows; docNo++)
        for (let c = 0; c < from; c++) table[docNo * stride + c] = old[docNo * from + c] as number
    this.#table = table
    this.#rows = rows
  }
}
