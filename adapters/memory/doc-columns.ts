/**
 * @module Per-document columns of fields, for facets and grouped searches: each match is counted
 * by numbers read from a byte table, not by reading the field from its stored document (a
 * scattered object load at a million documents) and hashing its string. The columns of an index
 * are interleaved, a row per document ({@link DocColumns.table}), so a four-facet search loads one
 * row a match, not four cache lines. A column is made on the first request that needs it (from
 * the documents, so snapshots need not save it), then kept up to date by every write.
 *
 * Each column takes the fewest bytes (1 to 4) that hold its numbers: a message's `type` one, a
 * year of quarter hours two (counted from the column's base), 170,000 conversations three, where
 * 32-bit columns took four each (at ten million messages, 16 bytes a message became 9). A number
 * that does not fit widens (or rebases) its column, which lays the rows out again.
 */
import { QUARTER_HOUR_MS } from '../../src/query/time-zone.ts'
import type { Source } from './plan.ts'

/** A column's number: the document has no value the column counts (missing, or of another type). */
export const NONE = -2147483648
/** A column's number: the value has none in the column (a keyword array, an instant out of range): read the document. */
export const READ = -2147483647
/** Stored for {@link NONE} and {@link READ}; a number `v` is stored as `v - base + STORED_FROM`. */
export const STORED_NONE = 0
export const STORED_READ = 1
export const STORED_FROM = 2

/** How a column numbers a field's value; where its bytes are is the table's (see {@link Place}). */
interface Numbering {
  readonly field: string
  code(value: unknown): number
}

/** Where a column is in each row and how its numbers are stored (changes when the column widens). */
export interface Place {
  /** The column's first byte in each row of {@link DocColumns.table}. */
  offset: number
  /** Bytes, 1 to 4, little-endian. */
  width: number
  /** The number stored as {@link STORED_FROM}. */
  base: number
}

/**
 * The stored (unsigned) number at `table[at..at + width)`, little-endian: read
 * {@link STORED_NONE}, {@link STORED_READ} or `number - base + STORED_FROM`.
 */
export function storedAt(table: Uint8Array, at: number, width: number): number {
  const low = table[at] as number
  if (width === 1) return low
  const two = low | ((table[at + 1] as number) << 8)
  if (width === 2) return two
  const three = two | ((table[at + 2] as number) << 16)
  if (width === 3) return three
  return (three | ((table[at + 3] as number) << 24)) >>> 0
}

/**
 * A keyword field's string values, numbered from 0 in the order first seen: a document's number,
 * {@link NONE}, or {@link READ} for an array (counted per distinct string, from the document).
 */
export class KeywordColumn implements Numbering {
  readonly field: string
  readonly place: Place
  /** Value number → value. */
  readonly values: string[] = []
  readonly #numbers = new Map<string, number>()

  constructor(field: string, place: Place) {
    this.field = field
    this.place = place
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
export class QuarterHourColumn implements Numbering {
  readonly field: string
  readonly place: Place

  constructor(field: string, place: Place) {
    this.field = field
    this.place = place
  }

  code(ms: unknown): number {
    if (typeof ms !== 'number') return NONE
    const quarter = Math.floor(ms / QUARTER_HOUR_MS)
    return quarter === (quarter | 0) && quarter > READ ? quarter : READ
  }
}

type Column = KeywordColumn | QuarterHourColumn

/** Bytes that hold stored numbers up to `top`. */
function widthFor(top: number): number {
  return top < 0x100 ? 1 : top < 0x10000 ? 2 : top < 0x1000000 ? 3 : 4
}

/** The columns of one index, made on first use and written with every document after that. */
export class DocColumns {
  readonly #columns = new Map<string, Column>()
  readonly #docs: readonly (object | undefined)[]
  #table = new Uint8Array(0)
  #rows = 0
  #stride = 0

  /** @param docs the index's documents by number, live: columns are filled from it when made. */
  constructor(docs: readonly (object | undefined)[]) {
    this.#docs = docs
  }

  /**
   * Document `docNo`'s stored number of a column at `storedAt(table, docNo * stride +
   * place.offset, place.width)`. Replaced when a column is made or widens or rows are added: read
   * it, the stride and the places after making the columns a request needs.
   */
  get table(): Uint8Array {
    return this.#table
  }

  /** Bytes a row. */
  get stride(): number {
    return this.#stride
  }

  keyword(field: string): KeywordColumn {
    return this.#column(`keyword ${field}`, (place) => new KeywordColumn(field, place))
  }

  quarterHours(field: string): QuarterHourColumn {
    return this.#column(`quarter ${field}`, (place) => new QuarterHourColumn(field, place))
  }

  /** Document `docNo`, just stored, into every column made so far. */
  set(docNo: number, source: Source): void {
    if (this.#columns.size === 0) return
    // A quarter more rows at a time: at ten million documents a doubling would leave 90 MB spare.
    if (docNo >= this.#rows) this.#layOut(Math.max(docNo + 1, Math.ceil(this.#rows * 1.25), 1024))
    for (const column of this.#columns.values()) this.#write(docNo, column, column.code(source[column.field]))
  }

  get byteLength(): number {
    return this.#table.byteLength
  }

  #column<C extends Column>(key: string, make: (place: Place) => C): C {
    let column = this.#columns.get(key) as C | undefined
    if (column) return column
    column = make({ offset: this.#stride, width: 1, base: 0 })
    this.#columns.set(key, column)
    this.#layOut(Math.max(this.#rows, this.#docs.length))
    const docs = this.#docs
    // Deleted documents keep whatever their slot holds: searches never visit them.
    for (let docNo = 0; docNo < docs.length; docNo++) {
      const doc = docs[docNo] as Source | undefined
      if (doc) this.#write(docNo, column, column.code(doc[column.field]))
    }
    return column
  }

  /** Writes `code` (a number, {@link NONE} or {@link READ}) as document `docNo`'s, widening or rebasing the column first if it does not fit. */
  #write(docNo: number, column: Column, code: number): void {
    const place = column.place
    let stored = code === NONE ? STORED_NONE : code === READ ? STORED_READ : code - place.base + STORED_FROM
    if (stored < STORED_FROM ? code !== NONE && code !== READ : stored >= 2 ** (8 * place.width)) {
      this.#refit(column, code)
      stored = code - place.base + STORED_FROM
    }
    const at = docNo * this.#stride + place.offset
    const table = this.#table
    for (let b = 0; b < place.width; b++) table[at + b] = (stored >>> (8 * b)) & 0xff
  }

  /**
   * Widens `column` (and lowers its base if `code` is below it) so that `code` fits, then lays
   * the rows out again. The base drops by at least the column's span so far: a history written
   * newest first rebases a logarithmic number of times, not once per quarter hour.
   */
  #refit(column: Column, code: number): void {
    const place = column.place
    const numbers = this.#numbers(column)
    const old = { ...place }
    let low = code
    let high = code
    let stored = false
    for (const n of numbers)
      if (n !== NONE && n !== READ) {
        stored = true
        if (n < low) low = n
        if (n > high) high = n
      }
    // A column with no number yet takes the first as its base.
    if (stored && code < place.base) low = Math.max(Math.min(low, place.base - (high - place.base)), READ + 1)
    else if (stored) low = place.base
    place.base = low
    place.width = Math.max(old.width, widthFor(high - low + STORED_FROM))
    this.#layOut(this.#rows, column, old)
    for (let docNo = 0; docNo < numbers.length; docNo++) this.#write(docNo, column, numbers[docNo] as number)
  }

  /** Every row's number of `column` ({@link NONE} where nothing is stored). */
  #numbers(column: Column): Int32Array {
    const { offset, width, base } = column.place
    const numbers = new Int32Array(this.#rows)
    for (let docNo = 0; docNo < this.#rows; docNo++) {
      const stored = storedAt(this.#table, docNo * this.#stride + offset, width)
      numbers[docNo] =
        stored === STORED_NONE ? NONE : stored === STORED_READ ? READ : stored - STORED_FROM + base
    }
    return numbers
  }

  /**
   * The table as `rows` rows of the columns' current places (offsets recomputed in order), the
   * old rows' bytes copied; `changed`, if given, is left zero (its caller writes it again, from
   * its `old` place).
   */
  #layOut(rows: number, changed?: Column, old?: Place): void {
    const was = new Map<Column, Place>()
    let stride = 0
    for (const column of this.#columns.values()) {
      was.set(column, column === changed && old ? old : { ...column.place })
      column.place.offset = stride
      stride += column.place.width
    }
    const from = this.#table
    const fromStride = this.#stride
    const table = new Uint8Array(rows * stride)
    if (stride === fromStride && !changed) table.set(from.subarray(0, Math.min(from.length, table.length)))
    else
      for (const [column, before] of was) {
        // A column new in this lay-out has no bytes yet; the changed one is written by its caller.
        if (column === changed || before.offset + before.width > fromStride) continue
        const { offset, width } = column.place
        for (let docNo = 0; docNo < this.#rows; docNo++)
          for (let b = 0; b < width; b++)
            table[docNo * stride + offset + b] = from[docNo * fromStride + before.offset + b] as number
      }
    this.#table = table
    this.#rows = rows
    this.#stride = stride
  }
}
