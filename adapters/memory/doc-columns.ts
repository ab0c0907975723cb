/**
 * @module Per-document columns of fields, for facets and grouped searches: each match is counted
 * by numbers read from a byte table, not by reading the field from its stored document (a
 * scattered object load at a million documents) and hashing its string. The columns of an index
 * are interleaved, a row per document ({@link DocColumns.table}), so a four-facet search loads one
 * row a match, not four cache lines. A column is made with the index when the index is told to
 * (`DocIndexOptions.columns`: the message facets' and grouping's fields), else on the first
 * request that needs it, from the documents; then kept up to date by every write. Snapshots save
 * the columns made so far, so a restarted service's first facet search finds them.
 *
 * Each column takes the fewest bytes (1 to 4) that hold its numbers: a message's `type` one, a
 * year of quarter hours two (counted from the column's base), 170,000 conversations three, where
 * 32-bit columns took four each (at ten million messages, 16 bytes a message became 9). A number
 * that does not fit widens (or rebases) its column, which lays the rows out again.
 */
import { QUARTER_HOUR_MS } from '../../src/query/time-zone.ts'
import type { Source } from './plan.ts'
import type { DocumentFields } from './stored-documents.ts'

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
  readonly kind: 'keyword' | 'quarter'
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

/** Writes `stored` at `table[at..at + width)`, little-endian: the inverse of {@link storedAt}. */
function storeAt(table: Uint8Array, at: number, width: number, stored: number): void {
  for (let b = 0; b < width; b++) table[at + b] = (stored >>> (8 * b)) & 0xff
}

/** How a column stores number `n` (a value's number, {@link NONE} or {@link READ}) from `base`. */
function storedOf(n: number, base: number): number {
  return n === NONE ? STORED_NONE : n === READ ? STORED_READ : n - base + STORED_FROM
}

/** The number a column stored as `stored` from `base`: the inverse of {@link storedOf}. */
function numberFrom(stored: number, base: number): number {
  return stored === STORED_NONE ? NONE : stored === STORED_READ ? READ : stored - STORED_FROM + base
}

/**
 * A keyword field's string values, numbered from 0 in the order first seen: a document's number,
 * {@link NONE}, or {@link READ} for an array (counted per distinct string, from the document).
 */
export class KeywordColumn implements Numbering {
  readonly kind = 'keyword'
  readonly field: string
  readonly place: Place
  /** Value number → value. */
  readonly values: string[]
  /**
   * Value → number, made when first asked (a write or a lookup by value): a column restored from
   * a snapshot is read by number, and its map (270,000 conversations and senders at a million
   * messages) took 8 MB of the started service's heap before either.
   */
  #numbers: Map<string, number> | undefined

  /** `values`: the numbered values of a column restored from a snapshot (distinct, or it throws). */
  constructor(field: string, place: Place, values: readonly string[] = []) {
    this.field = field
    this.place = place
    this.values = [...values]
    if (this.values.some((value) => typeof value !== 'string') || new Set(this.values).size !== values.length)
      throw new Error(`column ${field} repeats a value`)
  }

  /** The number of `value`, undefined while no document has held it. */
  numberOf(value: string): number | undefined {
    return this.#numbered().get(value)
  }

  code(value: unknown): number {
    if (Array.isArray(value)) return READ
    if (typeof value !== 'string') return NONE
    const numbers = this.#numbered()
    let n = numbers.get(value)
    if (n === undefined) {
      n = this.values.length
      this.values.push(value)
      numbers.set(value, n)
    }
    return n
  }

  #numbered(): Map<string, number> {
    if (this.#numbers) return this.#numbers
    const numbers = new Map<string, number>()
    for (const [n, value] of this.values.entries()) numbers.set(value, n)
    this.#numbers = numbers
    return numbers
  }
}

/**
 * A numeric epoch-ms field as quarter hours (`ms / QUARTER_HOUR_MS` rounded down, see
 * `ZoneDays.ofQuarter`): {@link NONE} where it is not a number, {@link READ} beyond 32 bits.
 */
export class QuarterHourColumn implements Numbering {
  readonly kind = 'quarter'
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

/** A column's name among an index's columns. */
function keyOf(kind: Column['kind'], field: string): string {
  return `${kind} ${field}`
}

/** Bytes that hold stored numbers up to `top`. */
function widthFor(top: number): number {
  return top < 0x100 ? 1 : top < 0x10000 ? 2 : top < 0x1000000 ? 3 : 4
}

/** A column as a snapshot saves it: its place in the rows and, for a keyword column, its values by number. */
export type SavedColumn =
  | { kind: 'keyword'; field: string; place: Place; values: string[] }
  | { kind: 'quarter'; field: string; place: Place }

/** The columns as a snapshot saves them: a row of `stride` bytes per document. */
export interface DocColumnsSnapshot {
  rows: number
  stride: number
  table: Uint8Array
  columns: SavedColumn[]
}

/** The columns of one index, made on first use and written with every document after that. */
export class DocColumns {
  readonly #columns = new Map<string, Column>()
  readonly #docs: DocumentFields
  #table: Uint8Array = new Uint8Array(0)
  #rows = 0
  #stride = 0

  /** @param docs the index's documents by number, live: columns are filled from it when made. */
  constructor(docs: DocumentFields) {
    this.#docs = docs
  }

  /**
   * The columns `snapshot` saved, over the documents it was saved with: a load takes the rows
   * instead of making each column again from ten million documents (seconds each, on the first
   * facet search after a start). Throws when the rows do not fit the columns or the documents.
   */
  static fromSnapshot(docs: DocumentFields, snapshot: DocColumnsSnapshot): DocColumns {
    const { rows, stride, table, columns } = snapshot
    if (!(table instanceof Uint8Array) || rows !== docs.length || table.length !== rows * stride)
      throw new Error('the saved columns do not fit the documents')
    const restored = new DocColumns(docs)
    let offset = 0
    for (const saved of columns) {
      const { width, base } = saved.place
      if (saved.place.offset !== offset || !(width >= 1 && width <= 4) || !Number.isInteger(base))
        throw new Error(`the saved column ${saved.field} is out of place`)
      if (saved.kind !== 'keyword' && saved.kind !== 'quarter')
        throw new Error('a saved column is of no kind')
      offset += width
      const place = { offset: saved.place.offset, width, base }
      const column =
        saved.kind === 'keyword'
          ? new KeywordColumn(saved.field, place, saved.values)
          : new QuarterHourColumn(saved.field, place)
      // A keyword column's stored numbers name its values: a row beyond them is a torn save.
      if (column instanceof KeywordColumn)
        for (let docNo = 0; docNo < rows; docNo++) {
          const n = numberFrom(storedAt(table, docNo * stride + place.offset, width), base)
          if (n !== NONE && n !== READ && (n < 0 || n >= column.values.length))
            throw new Error(`the saved column ${saved.field} names a value it does not hold`)
        }
      restored.#columns.set(keyOf(column.kind, column.field), column)
    }
    if (offset !== stride) throw new Error('the saved columns do not fill their rows')
    restored.#table = table
    restored.#rows = rows
    restored.#stride = stride
    return restored
  }

  /** The columns as they are now, for a snapshot (the rows copied: later writes change them). */
  toSnapshot(): DocColumnsSnapshot {
    const rows = this.#docs.length
    const columns = [...this.#columns.values()].map(
      (column): SavedColumn =>
        column.kind === 'keyword'
          ? {
              kind: column.kind,
              field: column.field,
              place: { ...column.place },
              values: column.values.slice(),
            }
          : { kind: column.kind, field: column.field, place: { ...column.place } },
    )
    const stride = this.#columns.size === 0 ? 0 : this.#stride
    return { rows, stride, table: this.#table.slice(0, rows * stride), columns }
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
    this.prepare([field], [])
    return this.#columns.get(keyOf('keyword', field)) as KeywordColumn
  }

  /**
   * A reader of `field`'s string by document number, from its keyword column (made if not yet):
   * undefined where the column holds none (no value, or not a string), for the stored documents
   * to restore the field from (`stored-documents.ts`).
   */
  valueOf(field: string): (docNo: number) => string | undefined {
    const column = this.keyword(field)
    return (docNo) => {
      if (docNo >= this.#rows) return undefined
      const { offset, width, base } = column.place
      const n = numberFrom(storedAt(this.#table, docNo * this.#stride + offset, width), base)
      return n >= 0 ? column.values[n] : undefined
    }
  }

  /**
   * Makes the keyword columns of `keywordFields` and the quarter-hour columns of
   * `quarterHourFields` that are not made yet, together: one pass over the documents and one
   * lay-out of the rows, where a four-facet search made three one after another.
   */
  prepare(keywordFields: readonly string[], quarterHourFields: readonly string[]): void {
    const made: Column[] = []
    for (const field of new Set(keywordFields))
      if (!this.#columns.has(keyOf('keyword', field))) made.push(new KeywordColumn(field, this.#newPlace()))
    for (const field of new Set(quarterHourFields))
      if (!this.#columns.has(keyOf('quarter', field)))
        made.push(new QuarterHourColumn(field, this.#newPlace()))
    if (made.length > 0) this.#make(made)
  }

  /**
   * Document `docNo`'s number in `column` (one of this table's): a value number, {@link NONE} or
   * {@link READ}. For a test a match; a loop over many reads {@link table} once.
   */
  numberIn(column: KeywordColumn, docNo: number): number {
    const { offset, width, base } = column.place
    return numberFrom(storedAt(this.#table, docNo * this.#stride + offset, width), base)
  }

  quarterHours(field: string): QuarterHourColumn {
    this.prepare([], [field])
    return this.#columns.get(keyOf('quarter', field)) as QuarterHourColumn
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

  /** A new column's place: after every row's last byte, so that a lay-out copies nothing into it. */
  #newPlace(): Place {
    return { offset: this.#stride, width: 1, base: 0 }
  }

  /**
   * Makes `made` from the documents: every document's numbers first, then one lay-out at the
   * widths and bases they need. Written as they came, a column of ten million documents widened
   * twice and rebased, laying out every row each time: five seconds a column.
   */
  #make(made: readonly Column[]): void {
    const docs = this.#docs
    const numbers = made.map(() => new Int32Array(docs.length).fill(NONE))
    const low = made.map(() => Number.POSITIVE_INFINITY)
    const high = made.map(() => Number.NEGATIVE_INFINITY)
    const readers = made.map((column) => docs.reader(column.field))
    for (let docNo = 0; docNo < docs.length; docNo++) {
      if (!docs.has(docNo)) continue
      for (let j = 0; j < made.length; j++) {
        const column = made[j] as Column
        const n = column.code((readers[j] as (docNo: number) => unknown)(docNo))
        ;(numbers[j] as Int32Array)[docNo] = n
        if (n !== NONE && n !== READ) {
          if (n < (low[j] as number)) low[j] = n
          if (n > (high[j] as number)) high[j] = n
        }
      }
    }
    made.forEach((column, j) => {
      if ((low[j] as number) <= (high[j] as number)) {
        column.place.base = low[j] as number
        column.place.width = widthFor((high[j] as number) - (low[j] as number) + STORED_FROM)
      }
      this.#columns.set(keyOf(column.kind, column.field), column)
    })
    this.#layOut(Math.max(this.#rows, docs.length))
    made.forEach((column, j) => {
      this.#fill(column, numbers[j] as Int32Array)
    })
  }

  /** Writes every document's number of `column`, which fits its place (deleted ones: {@link NONE}). */
  #fill(column: Column, numbers: Int32Array): void {
    const { offset, width, base } = column.place
    const table = this.#table
    const stride = this.#stride
    for (let docNo = 0; docNo < numbers.length; docNo++)
      storeAt(table, docNo * stride + offset, width, storedOf(numbers[docNo] as number, base))
  }

  /** Writes `code` (a number, {@link NONE} or {@link READ}) as document `docNo`'s, widening or rebasing the column first if it does not fit. */
  #write(docNo: number, column: Column, code: number): void {
    const place = column.place
    let stored = storedOf(code, place.base)
    if (stored < STORED_FROM ? code !== NONE && code !== READ : stored >= 2 ** (8 * place.width)) {
      this.#refit(column, code)
      stored = storedOf(code, place.base)
    }
    storeAt(this.#table, docNo * this.#stride + place.offset, place.width, stored)
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
    for (let docNo = 0; docNo < this.#rows; docNo++)
      numbers[docNo] = numberFrom(storedAt(this.#table, docNo * this.#stride + offset, width), base)
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
