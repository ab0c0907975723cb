/**
 * @module Stored documents as columns, in chunks: documents of one shape (the same keys in the
 * same order: an index's documents have a handful) are stored key by key, each column in the
 * cheapest form its values allow: numbers and booleans as typed arrays, strings (and lists of
 * strings) that the field indexes hold anyway as numbers into the snapshot's string table
 * (`string-table.ts`),
 * other strings as one text with their ends, anything else in msgpack. Loading then builds each
 * document with one object literal (a function made per shape) instead of decoding it field by
 * field, and the documents share those strings with the indexes, as upserted ones mostly do: at
 * a million messages, decoding documents one by one was most of a load.
 */
import type { Packr } from 'msgpackr'
import { objectLiteral } from '../object-literal.ts'
import type { DocumentRows } from '../stored-documents.ts'
import { EncodedString } from '../string-chunk.ts'
import { unpackSnapshotPart } from './msgpack.ts'
import { SharedValues, sharingKey } from './shared-values.ts'

/** Documents per chunk: a few milliseconds of encoding each, between which a save yields. */
export const DOCUMENTS_PER_CHUNK = 4096

/** One key of one shape: its values, in the order of that shape's documents. */
export type Column =
  | { kind: 'number'; values: Float64Array }
  | { kind: 'boolean'; values: Uint8Array }
  /** Numbers into the shared values table; -1 for undefined. */
  | { kind: 'shared'; values: Int32Array }
  /**
   * The strings joined as UTF-8; `ends` in bytes. Each is decoded on its own at load: a slice
   * of the decoded whole kept that whole alive (two bytes a character as soon as one string of
   * the chunk was Chinese) behind a 32-byte slice header, about 60 bytes a message's content
   * at a million messages where its own string takes about 32.
   */
  | { kind: 'strings'; text: Uint8Array; ends: Int32Array }
  /**
   * Strings some of which the table holds (a user's id, when it has received a message): per row
   * its number into the table, or -1 for one of the others, held as in `strings`, in row order.
   */
  | { kind: 'someShared'; values: Int32Array; text: Uint8Array; ends: Int32Array }
  | { kind: 'msgpack'; packed: Uint8Array }
  /**
   * Lists of objects a load shares (`shared-values.ts`: tags): each distinct one packed once in
   * `items`, their numbers there list after list, `ends` per row. The load decodes and shares
   * each distinct one once per chunk, where decoding and keying every list's took ~0.2 s at a
   * million messages. (Places are not: they hardly repeat within a chunk.)
   */
  | { kind: 'objectLists'; items: Uint8Array; values: Int32Array; ends: Int32Array }
  /** Lists, mostly empty (mentions, attachments): the rows of the others, and those packed. */
  | { kind: 'lists'; rows: Int32Array; packed: Uint8Array }
  /**
   * Lists of shared strings (name forms: the keyword index holds each once): every list's
   * strings as numbers into the table, list after list; `ends` per row.
   */
  | { kind: 'sharedLists'; values: Int32Array; ends: Int32Array }
  /** Left out: the index restores it (recipient lists); an empty list until then, of the same kind. */
  | { kind: 'restored' }

export interface ColumnChunk {
  /** Each shape's keys. */
  shapes: string[][]
  /** Per shape, a column per key. */
  columns: Column[][]
  /** Document → its shape; -1 for a deleted slot. */
  shapeOf: Int32Array
}

/**
 * Documents `[from, from + DOCUMENTS_PER_CHUNK)` as columns. `shared` numbers the strings of the
 * snapshot's table; fields in `restored` are left out.
 */
export function encodeChunk(
  documents: Pick<DocumentRows, 'length' | 'get'>,
  from: number,
  restored: ReadonlySet<string>,
  shared: ReadonlyMap<string, number>,
  packr: Packr,
): ColumnChunk {
  const to = Math.min(documents.length, from + DOCUMENTS_PER_CHUNK)
  const shapeNumbers = new Map<string, number>()
  const shapes: string[][] = []
  const rows: Record<string, unknown>[][] = []
  const shapeOf = new Int32Array(to - from)
  for (let docNo = from; docNo < to; docNo++) {
    const doc = documents.get(docNo) as Record<string, unknown> | undefined
    if (doc === undefined) {
      shapeOf[docNo - from] = -1
      continue
    }
    const keys = Object.keys(doc)
    const signature = keys.join('\u0000')
    let shape = shapeNumbers.get(signature)
    if (shape === undefined) {
      shape = shapes.length
      shapeNumbers.set(signature, shape)
      shapes.push(keys)
      rows.push([])
    }
    shapeOf[docNo - from] = shape
    ;(rows[shape] as Record<string, unknown>[]).push(doc)
  }
  const columns = shapes.map((keys, shape) =>
    keys.map((key) =>
      restored.has(key)
        ? { kind: 'restored' as const }
        : encodeColumn(
            (rows[shape] as Record<string, unknown>[]).map((doc) => doc[key]),
            shared,
            packr,
          ),
    ),
  )
  return { shapes, columns, shapeOf }
}

/** `strings` as one UTF-8 text and each one's end in it, in bytes. */
function joinStrings(strings: readonly string[]): { text: Uint8Array; ends: Int32Array } {
  const ends = new Int32Array(strings.length)
  let end = 0
  strings.forEach((s, i) => {
    end += Buffer.byteLength(s, 'utf8')
    ends[i] = end
  })
  // Written one by one, not joined: a lone surrogate ending one string would pair with the next.
  const text = Buffer.allocUnsafe(end)
  let at = 0
  for (const s of strings) at += text.write(s, at, 'utf8')
  if (at !== end) throw new Error('a string column was not written whole')
  return { text, ends }
}

/** The strings {@link joinStrings} joined, each decoded on its own (see the `strings` column). */
function splitStrings(column: { text: Uint8Array; ends: Int32Array }): string[] {
  const text = checkedText(column)
  const strings: string[] = new Array(column.ends.length)
  let start = 0
  column.ends.forEach((end, i) => {
    strings[i] = text.toString('utf8', start, end)
    start = end
  })
  return strings
}

/** The column's text, once its `ends` are checked to cut all of it, in order. */
function checkedText(column: { text: Uint8Array; ends: Int32Array }): Buffer {
  const text = Buffer.from(column.text.buffer, column.text.byteOffset, column.text.byteLength)
  let start = 0
  for (const end of column.ends) {
    if (end < start || end > text.length) throw new Error('a string column does not add up')
    start = end
  }
  if (start !== text.length) throw new Error('a string column does not add up')
  return text
}

/**
 * A `strings` column handed over undecoded, to a sink that keeps the field's strings as bytes
 * (see {@link DocumentSink.keepsBytes}): row `r`'s bytes, in one {@link EncodedString} for all.
 */
class EncodedStrings {
  readonly #value = new EncodedString()
  readonly #ends: Int32Array

  constructor(column: { text: Uint8Array; ends: Int32Array }) {
    this.#value.text = checkedText(column)
    this.#ends = column.ends
  }

  get length(): number {
    return this.#ends.length
  }

  at(row: number): EncodedString {
    const value = this.#value
    value.start = row === 0 ? 0 : (this.#ends[row - 1] as number)
    value.end = this.#ends[row] as number
    return value
  }
}

function encodeColumn(values: unknown[], shared: ReadonlyMap<string, number>, packr: Packr): Column {
  if (values.every((v) => typeof v === 'number'))
    return { kind: 'number', values: Float64Array.from(values as number[]) }
  if (values.every((v) => typeof v === 'boolean'))
    return { kind: 'boolean', values: Uint8Array.from(values, (v) => (v ? 1 : 0)) }
  if (values.every((v) => v === undefined || (typeof v === 'string' && shared.has(v))))
    return {
      kind: 'shared',
      values: Int32Array.from(values, (v) => (v === undefined ? -1 : (shared.get(v as string) as number))),
    }
  if (values.every((v) => typeof v === 'string')) {
    const strings = values as string[]
    if (!strings.some((v) => shared.has(v))) return { kind: 'strings', ...joinStrings(strings) }
    const numbers = Int32Array.from(strings, (v) => shared.get(v) ?? -1)
    const own = strings.filter((_, row) => numbers[row] === -1)
    return { kind: 'someShared', values: numbers, ...joinStrings(own) }
  }
  // Copied: the packer reuses its buffer.
  if (values.every(Array.isArray)) {
    const lists = values as unknown[][]
    if (lists.every((list) => list.every((v) => typeof v === 'string' && shared.has(v)))) {
      const ends = listEnds(lists)
      const numbers = new Int32Array(ends.at(-1) ?? 0)
      let at = 0
      for (const list of lists) for (const v of list) numbers[at++] = shared.get(v as string) as number
      return { kind: 'sharedLists', values: numbers, ends }
    }
    const items = new DistinctItems()
    if (lists.every((list) => list.every((v) => items.has(v)))) {
      const numbers = Int32Array.from(lists.flat(), (v) => items.numberOf(v))
      return { kind: 'objectLists', items: items.packed(packr), values: numbers, ends: listEnds(lists) }
    }
    const rows: number[] = []
    values.forEach((v, row) => {
      if ((v as unknown[]).length > 0) rows.push(row)
    })
    return {
      kind: 'lists',
      rows: Int32Array.from(rows),
      packed: packr.pack(rows.map((row) => values[row])).slice(),
    }
  }
  return { kind: 'msgpack', packed: packr.pack(values).slice() }
}

/** Where each of `lists` ends when they are laid end to end (a list column's `ends`). */
function listEnds(lists: readonly unknown[][]): Int32Array {
  const ends = new Int32Array(lists.length)
  let end = 0
  lists.forEach((list, row) => {
    end += list.length
    ends[row] = end
  })
  return ends
}

/** A column's objects a load would share (see {@link sharingKey}), numbered, equal ones alike. */
class DistinctItems {
  readonly #numbers = new Map<string, number>()
  readonly #items: unknown[] = []
  /** Keys of the values {@link has} accepted, until {@link numberOf} takes them. */
  readonly #keys = new Map<unknown, string>()

  /** Whether `value` is an object a load would share (then it can be numbered). */
  has(value: unknown): boolean {
    const key = sharingKey(value)
    if (key !== undefined) this.#keys.set(value, key)
    return key !== undefined
  }

  /** `value`'s number (accepted by {@link has}): equal values get equal numbers. */
  numberOf(value: unknown): number {
    const key = this.#keys.get(value) as string
    let number = this.#numbers.get(key)
    if (number === undefined) {
      number = this.#items.length
      this.#numbers.set(key, number)
      this.#items.push(value)
    }
    return number
  }

  /** The distinct items, packed (copied: the packer reuses its buffer). */
  packed(packr: Packr): Uint8Array {
    return packr.pack(this.#items).slice()
  }
}

/** The empty list restored documents share (as `services/documents.ts` builds them: never mutated). */
const EMPTY: never[] = []

/**
 * Lists of shared strings made so far in a load, by a hash of their strings' numbers: equal lists
 * are made once and shared by their documents (which never change them). A contact's name forms
 * repeat in every contact list holding them: at 200k bench messages 60,000 contacts' name-word
 * lists are 6,192 distinct ones. Shared across a load's indexes (one table numbers the strings of
 * all): a contact's lists are its user's.
 */
export type SharedLists = Map<number, string[] | string[][]>

/**
 * Where a load appends the documents it decodes: each one's object (`push`), or, where the sink
 * takes them, its values (`addRow`), which makes no object (a million of them were a quarter of
 * a load when the index stored them as columns anyway, `stored-documents.ts`).
 */
export interface DocumentSink {
  /** The next document, or a deleted slot (undefined). */
  push(doc: object | undefined): unknown
  /** The next document: the values of `keys` in `row` (the same `keys` for a shape's documents). */
  addRow?(keys: readonly string[], row: readonly unknown[]): unknown
  /**
   * Whether the sink keeps `key`'s strings as bytes: {@link addRow} is then handed them undecoded,
   * as an {@link EncodedString} (one object for all rows, never to be kept).
   */
  keepsBytes?(key: string): boolean
}

/**
 * Appends the chunk's documents to `documents`, undefined for deleted slots; `table` is the
 * string table the chunk was encoded with. `makers` keeps the functions that build each shape's
 * documents from one chunk to the next, `lists` the lists made and `values` the values decoded
 * from msgpack: pass the same ones for every chunk of a load (`lists` for chunks of one table).
 */
export function decodeChunk(
  chunk: ColumnChunk,
  table: readonly string[],
  documents: DocumentSink,
  makers: DocumentMakers = new Map(),
  lists: SharedLists = new Map(),
  values: SharedValues = new SharedValues(),
): void {
  const { shapes, columns, shapeOf } = chunk
  if (columns.length !== shapes.length) throw new Error('a document chunk has a column set per shape')
  const rows = new Int32Array(shapes.length)
  for (const shape of shapeOf) {
    if (shape >= shapes.length) throw new Error('a document has no shape')
    if (shape >= 0) rows[shape] = (rows[shape] as number) + 1
  }
  const builders = shapes.map((keys, shape) => {
    const shapeColumns = columns[shape] as Column[]
    if (shapeColumns.length !== keys.length) throw new Error('a document shape has a column per key')
    const encoded = shapeColumns.map(
      (c, j) =>
        c.kind === 'strings' &&
        documents.addRow !== undefined &&
        documents.keepsBytes?.(keys[j] as string) === true,
    )
    const decoded = shapeColumns.map((c, j) =>
      decodeColumn(
        c,
        table,
        rows[shape] as number,
        lists,
        (value) => values.share(keys[j] as string, value),
        encoded[j] as boolean,
      ),
    )
    return {
      keys,
      build: builderOf(keys, shapeColumns, table, makers),
      fill: fillerOf(shapeColumns, table, makers, encoded),
      values: decoded,
    }
  })
  const next = new Int32Array(shapes.length)
  const rowValues: unknown[] = []
  for (let i = 0; i < shapeOf.length; i++) {
    const shape = shapeOf[i] as number
    if (shape < 0) {
      documents.push(undefined)
      continue
    }
    const builder = builders[shape] as (typeof builders)[number]
    const row = next[shape] as number
    next[shape] = row + 1
    if (documents.addRow) {
      builder.fill(builder.values, row, rowValues)
      documents.addRow(builder.keys, rowValues)
    } else documents.push(builder.build(builder.values, row))
  }
}

/**
 * A column's `rows` values, indexable by row (booleans and shared strings are mapped by the
 * builder), or with `encoded` a `strings` column's {@link EncodedStrings}; throws when it holds
 * another number of values.
 */
function decodeColumn(
  column: Column,
  table: readonly string[],
  rows: number,
  lists: SharedLists,
  share: (value: unknown) => unknown,
  encoded: boolean,
): ArrayLike<unknown> | EncodedStrings {
  const values =
    encoded && column.kind === 'strings'
      ? new EncodedStrings(column)
      : columnValues(column, table, rows, lists, share)
  if (column.kind !== 'restored' && values.length !== rows)
    throw new Error('a document column has the wrong length')
  return values
}

function columnValues(
  column: Column,
  table: readonly string[],
  rows: number,
  lists: SharedLists,
  share: (value: unknown) => unknown,
): ArrayLike<unknown> {
  switch (column.kind) {
    case 'number':
      return smallIntegers(column.values) ?? column.values
    case 'boolean':
      return column.values
    case 'shared':
      for (const n of column.values) if (n >= table.length) throw new Error('a shared value is out of range')
      return column.values
    case 'strings':
      return splitStrings(column)
    case 'someShared': {
      const own = splitStrings(column)
      const strings: string[] = new Array(column.values.length)
      let next = 0
      for (let row = 0; row < strings.length; row++) {
        const n = column.values[row] as number
        const value = n === -1 ? own[next++] : table[n]
        if (value === undefined) throw new Error('a string column does not add up')
        strings[row] = value
      }
      if (next !== own.length) throw new Error('a string column does not add up')
      return strings
    }
    case 'msgpack': {
      const values = unpackSnapshotPart(column.packed)
      if (!Array.isArray(values)) throw new Error('a msgpack column is not a list')
      for (let i = 0; i < values.length; i++)
        values[i] = Array.isArray(values[i]) && values[i].length === 0 ? EMPTY : share(values[i])
      return values
    }
    case 'lists': {
      const lists = unpackSnapshotPart(column.packed)
      if (!Array.isArray(lists) || lists.length !== column.rows.length)
        throw new Error('a list column is malformed')
      const values: unknown[] = new Array(rows).fill(EMPTY)
      column.rows.forEach((row, i) => {
        if (row >= rows) throw new Error('a list column row is out of range')
        values[row] = share(lists[i])
      })
      return values
    }
    case 'objectLists': {
      const items = sharedItems(column.items, share)
      const out: unknown[] = new Array(column.ends.length)
      let start = 0
      for (let row = 0; row < out.length; row++) {
        const end = column.ends[row] as number
        if (end < start || end > column.values.length) throw new Error('a list column is malformed')
        const list: unknown[] = end === start ? EMPTY : new Array(end - start)
        for (let i = start; i < end; i++) list[i - start] = itemOf(items, column.values[i] as number)
        out[row] = list
        start = end
      }
      return out
    }
    case 'sharedLists': {
      const out: unknown[] = []
      let start = 0
      for (const end of column.ends) {
        if (end < start || end > column.values.length) throw new Error('a list column is malformed')
        out.push(end === start ? EMPTY : sharedList(column.values, start, end, table, lists))
        start = end
      }
      return out
    }
    case 'restored':
      return []
    default:
      throw new Error('a document column is of an unknown kind')
  }
}

/** A chunk's distinct objects (an `objectLists` column's items), each shared with the load's equal ones. */
function sharedItems(packed: Uint8Array, share: (value: unknown) => unknown): unknown[] {
  const items = unpackSnapshotPart(packed)
  if (!Array.isArray(items)) throw new Error('a column of objects is malformed')
  for (let i = 0; i < items.length; i++) items[i] = share(items[i])
  return items
}

function itemOf(items: readonly unknown[], n: number): unknown {
  if (n < 0 || n >= items.length) throw new Error('an object number is out of range')
  return items[n]
}

/**
 * `values` as 32-bit integers when they all are (a message's `sequenceId`), else undefined. Read
 * from a Float64Array, an integer could reach a document as a heap number (optimized code left
 * for the interpreter boxes the doubles it holds), and one heap number makes the field a boxed
 * double in every document of the shape: at 200k messages, 191k boxes of 16 bytes each, where
 * integers read from an Int32Array are stored in the field itself.
 */
function smallIntegers(values: Float64Array): Int32Array | undefined {
  for (const v of values) if ((v | 0) !== v || Object.is(v, -0)) return undefined
  return Int32Array.from(values)
}

/**
 * The list of strings `numbers[start, end)` name in `table`, made once per load (see
 * {@link SharedLists}). No closure nor array is made for a list found: at a million messages this
 * runs for 1.3 million name lists.
 */
function sharedList(
  numbers: Int32Array,
  start: number,
  end: number,
  table: readonly string[],
  lists: SharedLists,
): string[] {
  let hash = end - start
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + (numbers[i] as number)) | 0
  // One list under a hash, or several (an array of lists) when hashes collide.
  const found = lists.get(hash)
  if (found !== undefined && !Array.isArray(found[0])) {
    if (sameList(found as string[], numbers, start, end, table)) return found as string[]
  } else if (found !== undefined)
    for (const list of found as string[][]) if (sameList(list, numbers, start, end, table)) return list
  // Made at its length: a list grown by pushes from empty holds 17 slots at once.
  const list: string[] = new Array(end - start)
  for (let i = start; i < end; i++) {
    const value = table[numbers[i] as number]
    if (value === undefined) throw new Error('a shared value is out of range')
    list[i - start] = value
  }
  if (found === undefined) lists.set(hash, list)
  else lists.set(hash, Array.isArray(found[0]) ? [...(found as string[][]), list] : [found as string[], list])
  return list
}

/** Whether `list` holds the strings `numbers[start, end)` name in `table`. */
function sameList(
  list: readonly string[],
  numbers: Int32Array,
  start: number,
  end: number,
  table: readonly string[],
): boolean {
  if (list.length !== end - start) return false
  for (let i = start; i < end; i++) if (list[i - start] !== table[numbers[i] as number]) return false
  return true
}

/** A shape's columns, decoded (see {@link decodeColumn}). */
type Decoded = (ArrayLike<unknown> | EncodedStrings)[]

type Builder = (values: Decoded, row: number) => object

type Filler = (values: Decoded, row: number, out: unknown[]) => void

type Maker = (t: readonly string[], e: readonly never[], v: Decoded, r: number, o?: unknown[]) => unknown

/**
 * Document-building functions by their source: one per shape for a whole load, compiled and
 * optimized once, where a new function per chunk of {@link DOCUMENTS_PER_CHUNK} documents was
 * compiled again and ran its first calls unoptimized.
 */
export type DocumentMakers = Map<string, Maker>

/**
 * Each key's value in row `r` as source (booleans and shared strings mapped, `encoded` columns'
 * undecoded), for {@link builderOf} and {@link fillerOf}.
 */
function valueSources(columns: readonly Column[], encoded: readonly boolean[] = []): string[] {
  return columns.map((column, j) =>
    encoded[j]
      ? `v[${j}].at(r)`
      : column.kind === 'boolean'
        ? `v[${j}][r] === 1`
        : column.kind === 'shared'
          ? `(v[${j}][r] < 0 ? undefined : t[v[${j}][r]])`
          : column.kind === 'restored'
            ? 'E'
            : `v[${j}][r]`,
  )
}

/** The maker of `body`, compiled once for a load (see {@link DocumentMakers}). */
function makerOf(body: string, makers: DocumentMakers): Maker {
  let make = makers.get(body)
  if (!make) {
    make = new Function('t', 'E', 'v', 'r', 'o', body) as Maker
    makers.set(body, make)
  }
  return make
}

/**
 * A function returning one shape's document as an object literal (`{ a: v[0][row], … }`): every
 * document of the shape gets the same hidden class, built at once, as upserted documents do.
 */
function builderOf(
  keys: readonly string[],
  columns: readonly Column[],
  table: readonly string[],
  makers: DocumentMakers,
): Builder {
  const make = makerOf(`return ${objectLiteral(keys, valueSources(columns))}`, makers)
  return (values, row) => make(table, EMPTY, values, row) as object
}

/**
 * A function writing one shape's document's values into `out`, in its keys' order (see
 * {@link DocumentSink.addRow}), `encoded` columns' undecoded.
 */
function fillerOf(
  columns: readonly Column[],
  table: readonly string[],
  makers: DocumentMakers,
  encoded: readonly boolean[],
): Filler {
  const make = makerOf(
    valueSources(columns, encoded)
      .map((source, j) => `o[${j}] = ${source}`)
      .join('\n'),
    makers,
  )
  return (values, row, out) => {
    make(table, EMPTY, values, row, out)
  }
}
