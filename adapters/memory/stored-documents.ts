/**
 * @module An index's stored documents by number, kept as columns: one per field, in chunks of
 * {@link CHUNK} documents. An object per document cost its header and a slot per field, a heap
 * number per time (`sentAt`: 16 bytes) and a slot per boolean: 225 bytes a message with its
 * strings at a million messages, the largest part of the heap (issue 15). Here numbers are typed
 * arrays (32-bit integers while they fit, else doubles), booleans a byte, lists mostly empty a map
 * of the others, ids and text as bytes (`string-chunk.ts`), other values a slot each, and fields
 * the index holds by number elsewhere (a message's recipient list: its set; its conversation,
 * sender and types: the keyword columns) nothing. A document is made whole only for a caller (a
 * page's hits); per-candidate readers (sort keys, ranges, facets) read one field, and plans read
 * through a {@link StoredDocuments.view} whose getters read the columns.
 *
 * Chunks rather than one array a column: a column grows a chunk at a time (a doubling array held
 * up to half its slots spare; only a column's last chunk grows, from {@link FIRST_CHUNK} slots),
 * and a snapshot shares them, copying a chunk only when a later write changes it
 * ({@link StoredDocuments.frozen}).
 */
import { LiveBits } from './live-bits.ts'
import { MAP_ENTRY_BYTES, type MemoryTally, SLOT_BYTES, valueBytes } from './memory-usage.ts'
import { objectLiteral } from './object-literal.ts'
import type { Source } from './plan.ts'
import { EncodedString, keepsString, StringChunk, type StringEncoding } from './string-chunk.ts'

const CHUNK_BITS = 16
/** Documents a chunk at most: a chunk grows to it by doubling from {@link FIRST_CHUNK}. */
export const CHUNK = 1 << CHUNK_BITS
const IN_CHUNK = CHUNK - 1
/** A new chunk's slots: an index of 20,000 groups would otherwise hold 65,536 slots a field. */
const FIRST_CHUNK = 1024

/** Values sampled per column to estimate what its values hold beyond their slots. */
const SAMPLE = 64

/** What a reader of one field by document number needs: {@link StoredDocuments} and its frozen copies. */
export interface DocumentFields {
  /** Document numbers handed out so far. */
  readonly length: number
  has(docNo: number): boolean
  /** Document `docNo`'s value of the top-level field `name` (undefined: it has none). */
  field(docNo: number, name: string): unknown
  /** A reader of one field (see {@link field}) for many documents. */
  reader(name: string): (docNo: number) => unknown
}

/** Whole documents by number, for a snapshot's writer. */
export interface DocumentRows extends DocumentFields {
  /** Document `docNo`, made whole; undefined where deleted. */
  get(docNo: number): object | undefined
}

type Chunk = Float64Array | Int32Array | Uint8Array | unknown[] | Map<number, unknown> | StringChunk

/** What a sparse column answers for the documents it holds nothing for: lists are never changed. */
const EMPTY: readonly never[] = Object.freeze([])

/**
 * Whether the structure a field is restored from holds `value` for document `docNo`. It is asked
 * once the document's other fields are stored, so it may read them (a key made of two of them).
 */
export type Holds = (value: unknown, docNo: number) => boolean

/**
 * One field's values by document number. Its storage follows the values met: numbers in an
 * `Int32Array` while they fit, then a `Float64Array`, booleans in a `Uint8Array`, lists mostly empty (a message's mentions and
 * attachments) as a map of the others, a packed field's strings as bytes (see
 * {@link StoredDocuments.packStrings}), anything else (and any mix, or a missing value) in arrays;
 * a value the storage cannot hold (or a sparse column grown dense) turns it into arrays, once. A
 * restored field stores only the values the structure holding the others cannot (see
 * {@link StoredDocuments.restore}), in a map.
 */
class Column {
  kind: 'int' | 'number' | 'boolean' | 'sparse' | 'values' | 'restored' | StringEncoding
  chunks: Chunk[] = []
  /** Per chunk, whether a frozen copy shares it: copied before the next write to it. */
  shared: boolean[] = []
  restoredBy: ((docNo: number) => unknown) | undefined
  /** Which values the restoring structure holds (the others are kept here); see {@link Holds}. */
  holds: Holds = () => true
  /** Values kept in maps (sparse and restored columns). */
  mapped = 0
  /** The last document written: a document without the field leaves a typed column's slot unset. */
  lastSet = -1

  constructor(
    readonly key: string,
    kind: Column['kind'],
    /** The documents the table expects (see {@link StoredDocuments.reserve}): chunks are made that large. */
    readonly sizing: { expected: number } = { expected: 0 },
  ) {
    this.kind = kind
  }

  get(docNo: number): unknown {
    const chunk = this.chunks[docNo >>> CHUNK_BITS]
    switch (this.kind) {
      case 'int':
      case 'number':
        return chunk === undefined ? undefined : (chunk as Float64Array | Int32Array)[docNo & IN_CHUNK]
      case 'boolean':
        return chunk === undefined ? undefined : (chunk as Uint8Array)[docNo & IN_CHUNK] === 1
      case 'values':
        return chunk === undefined ? undefined : (chunk as unknown[])[docNo & IN_CHUNK]
      case 'ascii':
      case 'utf8':
        return chunk === undefined ? undefined : (chunk as StringChunk).get(docNo & IN_CHUNK)
      case 'sparse': {
        const map = chunk as Map<number, unknown> | undefined
        return map?.has(docNo) ? map.get(docNo) : EMPTY
      }
      case 'restored': {
        const map = chunk as Map<number, unknown> | undefined
        return map?.has(docNo) ? map.get(docNo) : (this.restoredBy as (docNo: number) => unknown)(docNo)
      }
    }
  }

  /** The order of document `docNo`'s string (one it holds) and `value`, as `<` orders strings. */
  compareTo(docNo: number, value: string): number {
    if (this.kind === 'ascii')
      return (this.chunks[docNo >>> CHUNK_BITS] as StringChunk).compare(docNo & IN_CHUNK, value)
    const own = this.get(docNo) as string
    return own < value ? -1 : own > value ? 1 : 0
  }

  /** Stores `value` for `docNo`; false when this storage cannot hold it (see {@link toValues}). */
  set(docNo: number, value: unknown): boolean {
    if (value instanceof EncodedString) return this.#setEncoded(docNo, value)
    switch (this.kind) {
      case 'int':
        if (typeof value !== 'number') return false
        if (!isInt32(value)) {
          this.#toNumbers()
          return this.set(docNo, value)
        }
        ;(this.#slots(docNo) as Int32Array)[docNo & IN_CHUNK] = value
        break
      case 'number':
        if (typeof value !== 'number') return false
        ;(this.#slots(docNo) as Float64Array)[docNo & IN_CHUNK] = value
        break
      case 'boolean':
        if (typeof value !== 'boolean') return false
        ;(this.#slots(docNo) as Uint8Array)[docNo & IN_CHUNK] = value ? 1 : 0
        break
      case 'values':
        ;(this.#slots(docNo) as unknown[])[docNo & IN_CHUNK] = value
        break
      case 'ascii':
      case 'utf8':
        if (typeof value !== 'string' || !keepsString(this.kind, value)) return false
        if (!this.#strings(docNo).set(docNo & IN_CHUNK, value)) return false
        this.#trimWhenFull(docNo)
        break
      case 'sparse':
        if (Array.isArray(value) && value.length === 0) break
        // Dense after all (most users have tags): arrays take a slot a document, a map entry several.
        if (this.mapped >= 64 && this.mapped * 8 > docNo) return false
        this.#map(docNo, value)
        break
      case 'restored':
        if (value !== undefined && !this.holds(value, docNo)) this.#map(docNo, value)
        break
    }
    this.lastSet = docNo
    return true
  }

  /** {@link set} for a load's undecoded string: its bytes copied by a string column, else decoded. */
  #setEncoded(docNo: number, value: EncodedString): boolean {
    if (this.kind !== 'ascii' && this.kind !== 'utf8') return this.set(docNo, value.toString())
    if (!this.#strings(docNo).setEncoded(docNo & IN_CHUNK, value)) return false
    this.#trimWhenFull(docNo)
    this.lastSet = docNo
    return true
  }

  /** A string chunk whose last slot `docNo` filled keeps only the bytes it holds. */
  #trimWhenFull(docNo: number): void {
    if ((docNo & IN_CHUNK) === IN_CHUNK) (this.chunks[docNo >>> CHUNK_BITS] as StringChunk).trim()
  }

  /** Lets go of a deleted document's value (strings, lists), if it holds one. */
  clear(docNo: number): void {
    const at = docNo >>> CHUNK_BITS
    const chunk = this.chunks[at]
    if (chunk === undefined) return
    if (this.kind === 'values') (this.#writable(docNo) as unknown[])[docNo & IN_CHUNK] = undefined
    else if (
      (this.kind === 'sparse' || this.kind === 'restored') &&
      (chunk as Map<number, unknown>).has(docNo)
    ) {
      ;(this.#writable(docNo) as Map<number, unknown>).delete(docNo)
      this.mapped--
    }
  }

  /**
   * Strings kept as bytes (see {@link StringChunk}) instead of an array of strings, when every
   * document up to `upTo` has one that `encoding` keeps: a message id's string took 24 bytes and
   * its slot 8.
   */
  toStrings(encoding: StringEncoding, upTo: number, live: LiveBits): void {
    if (this.kind !== 'values') return
    for (let docNo = 0; docNo < upTo; docNo++) {
      if (!live.has(docNo)) continue
      const value = docNo > this.lastSet ? undefined : this.get(docNo)
      if (typeof value !== 'string' || !keepsString(encoding, value)) return
    }
    const chunks: StringChunk[] = []
    for (let docNo = 0; docNo < upTo; docNo++) {
      if (!live.has(docNo)) continue
      const at = docNo >>> CHUNK_BITS
      chunks[at] ??= new StringChunk(encoding, slotsFor(docNo, Math.max(upTo, this.sizing.expected)))
      ;(chunks[at] as StringChunk).set(docNo & IN_CHUNK, this.get(docNo) as string)
    }
    for (const chunk of chunks) chunk?.trim()
    this.kind = encoding
    this.chunks = chunks
    this.shared = []
  }

  /** Arrays instead of typed storage: every value so far kept, the documents after `upTo` without one. */
  toValues(upTo: number, live: LiveBits): void {
    if (this.kind === 'values') return
    const chunks: unknown[][] = []
    for (let docNo = 0; docNo < upTo; docNo++) {
      if (!live.has(docNo) || docNo > this.lastSet) continue
      const value = this.get(docNo)
      const at = docNo >>> CHUNK_BITS
      chunks[at] ??= new Array(slotsFor(docNo, this.sizing.expected))
      ;(chunks[at] as unknown[])[docNo & IN_CHUNK] = value
    }
    this.kind = 'values'
    this.chunks = chunks
    this.shared = []
    this.mapped = 0
  }

  /** Restored by `read` from now on, keeping the values of documents so far that `holds` says it does not hold. */
  restore(read: (docNo: number) => unknown, holds: Holds, upTo: number, live: LiveBits): void {
    const kept: [number, unknown][] = []
    for (let docNo = 0; docNo < upTo; docNo++) {
      if (!live.has(docNo) || docNo > this.lastSet) continue
      const value = this.get(docNo)
      if (value !== undefined && !holds(value, docNo)) kept.push([docNo, value])
    }
    this.kind = 'restored'
    this.restoredBy = read
    this.holds = holds
    this.chunks = []
    this.shared = []
    this.mapped = 0
    for (const [docNo, value] of kept) this.#map(docNo, value)
  }

  /** A copy that shares the chunks; each is copied by whichever of the two writes to it first. */
  freeze(): Column {
    const copy = new Column(this.key, this.kind)
    copy.chunks = this.chunks.slice()
    copy.shared = this.chunks.map(() => true)
    this.shared = copy.shared.slice()
    // A snapshot leaves restored values out: the structures holding them are saved on their own
    // (a composed field's are the document's other fields).
    copy.restoredBy = () => undefined
    copy.holds = this.holds
    copy.mapped = this.mapped
    copy.lastSet = this.lastSet
    return copy
  }

  byteLength(): number {
    let bytes = 0
    for (const chunk of this.chunks)
      if (chunk instanceof Map) bytes += chunk.size * MAP_ENTRY_BYTES
      else if (chunk instanceof StringChunk) bytes += chunk.byteLength
      else if (chunk !== undefined)
        bytes += Array.isArray(chunk) ? chunk.length * SLOT_BYTES : chunk.byteLength
    return bytes
  }

  #map(docNo: number, value: unknown): void {
    const map = this.#writable(docNo) as Map<number, unknown>
    if (!map.has(docNo)) this.mapped++
    map.set(docNo, value)
  }

  /** Int32 values that no longer fit: every chunk as doubles. */
  #toNumbers(): void {
    this.kind = 'number'
    this.chunks = this.chunks.map((chunk) =>
      chunk === undefined ? chunk : Float64Array.from(chunk as Int32Array),
    )
    this.shared = []
  }

  /**
   * {@link #writable} for an array chunk, checked inline: the chunk there already holds `docNo`
   * and is this column's own (every write of a load or an ingest but a chunk's first and growths).
   */
  #slots(docNo: number): Chunk {
    const at = docNo >>> CHUNK_BITS
    const chunk = this.chunks[at]
    return chunk !== undefined && (docNo & IN_CHUNK) < (chunk as unknown[]).length && this.shared[at] !== true
      ? chunk
      : this.#writable(docNo)
  }

  /** {@link #slots} for a string chunk. */
  #strings(docNo: number): StringChunk {
    const at = docNo >>> CHUNK_BITS
    const chunk = this.chunks[at] as StringChunk | undefined
    return chunk !== undefined && (docNo & IN_CHUNK) < chunk.ends.length && this.shared[at] !== true
      ? chunk
      : (this.#writable(docNo) as StringChunk)
  }

  /** The chunk of `docNo`, made or grown to hold it, and copied first if a frozen copy shares it. */
  #writable(docNo: number): Chunk {
    const at = docNo >>> CHUNK_BITS
    let chunk = this.chunks[at]
    if (chunk === undefined) {
      if (this.kind === 'values') chunk = new Array(slotsFor(docNo, this.sizing.expected))
      else if (this.kind === 'sparse' || this.kind === 'restored') chunk = new Map()
      else if (this.kind === 'ascii' || this.kind === 'utf8') {
        const before = at > 0 ? (this.chunks[at - 1] as StringChunk | undefined) : undefined
        chunk = new StringChunk(this.kind, slotsFor(docNo, this.sizing.expected), before?.bytesPerSlot)
      } else chunk = this.#typed(slotsFor(docNo, this.sizing.expected))
      this.chunks[at] = chunk
    } else if (chunk instanceof StringChunk) {
      if ((docNo & IN_CHUNK) >= chunk.ends.length || this.shared[at]) {
        const slots = Math.min(CHUNK, Math.max(chunk.ends.length * 2, slotsFor(docNo, 0)))
        chunk = chunk.copy((docNo & IN_CHUNK) >= chunk.ends.length ? slots : chunk.ends.length)
        this.chunks[at] = chunk
        this.shared[at] = false
      }
    } else if (!(chunk instanceof Map) && (docNo & IN_CHUNK) >= chunk.length) {
      // Grown to a power of two, which copies it (a frozen copy keeps the one it shares): an
      // array left to grow itself ends up to half as large again as the chunk.
      const slots = Math.min(CHUNK, Math.max(chunk.length * 2, slotsFor(docNo, 0)))
      if (Array.isArray(chunk)) {
        const grown = new Array(slots)
        for (let i = 0; i < chunk.length; i++) grown[i] = chunk[i]
        chunk = grown
      } else {
        const grown = this.#typed(slots)
        grown.set(chunk as never)
        chunk = grown
      }
      this.chunks[at] = chunk
      this.shared[at] = false
    } else if (this.shared[at]) {
      chunk = chunk instanceof Map ? new Map(chunk) : chunk.slice()
      this.chunks[at] = chunk
      this.shared[at] = false
    }
    return chunk
  }

  #typed(slots: number): Float64Array | Int32Array | Uint8Array {
    return this.kind === 'number'
      ? new Float64Array(slots)
      : this.kind === 'int'
        ? new Int32Array(slots)
        : new Uint8Array(slots)
  }
}

/**
 * Slots a new chunk takes to hold `docNo`: at least {@link FIRST_CHUNK}, a power of two, at most
 * {@link CHUNK}; as many as the `expected` documents fill in it, when more (a load knows them).
 */
function slotsFor(docNo: number, expected: number): number {
  let slots = FIRST_CHUNK
  while (slots <= (docNo & IN_CHUNK)) slots *= 2
  const filled = expected - (docNo - (docNo & IN_CHUNK))
  return Math.min(Math.max(slots, filled), CHUNK)
}

function isInt32(value: number): boolean {
  return (value | 0) === value && !Object.is(value, -0)
}

/** The stored form of an index's documents (see the module comment). */
export class StoredDocuments implements DocumentRows {
  readonly #columns = new Map<string, Column>()
  /** The columns in the order their fields were first met: the order of a made document's keys. */
  readonly #order: Column[] = []
  readonly #live: LiveBits
  /** What {@link view} hands out: a getter a column, reading the document it was last handed out for. */
  readonly #view: View = new View()
  /** The keys of the last document added and their columns: documents of an index mostly share one shape. */
  #lastKeys: readonly string[] = []
  #lastColumns: Column[] = []
  /** {@link add}'s scratch: a document's values in its keys' order. */
  readonly #row: unknown[] = []
  /** Shared with the columns (see {@link reserve}). */
  readonly #sizing = { expected: 0 }
  /** Makes a document with a value in every column at once (see {@link builderOf}); made again when a column is added. */
  #build: Builder | undefined
  /** Fields whose strings are kept as bytes while all can be, and how (see {@link packStrings}). */
  readonly #packed = new Map<string, StringEncoding>()

  constructor(live = new LiveBits()) {
    this.#live = live
  }

  /**
   * `documents` are about to be added (a snapshot's load): chunks are made as large as they will
   * fill, rather than grown, copying, from {@link FIRST_CHUNK} slots.
   */
  reserve(documents: number): void {
    this.#sizing.expected = documents
  }

  /** Which documents are live (deleted ones are not). */
  get live(): LiveBits {
    return this.#live
  }

  get length(): number {
    return this.#live.length
  }

  has(docNo: number): boolean {
    return this.#live.has(docNo)
  }

  /** Stores `doc` as the next document number, which it returns. Undefined values count as missing. */
  add(doc: object): number {
    const source = doc as Record<string, unknown>
    const keys = Object.keys(source)
    const row = this.#row
    for (let i = 0; i < keys.length; i++) row[i] = source[keys[i] as string]
    const docNo = this.addRow(keys, row)
    // The scratch row holds no document's values past its call.
    row.fill(undefined, 0, keys.length)
    return docNo
  }

  /**
   * Stores the document whose fields are `keys` and values `row` (as many) as the next document
   * number, which it returns: a snapshot's load hands its decoded rows here without making each
   * document's object (`snapshot/document-columns.ts`).
   */
  addRow(keys: readonly string[], row: readonly unknown[]): number {
    const docNo = this.#live.length
    this.#live.add(docNo)
    const columns = sameKeys(keys, this.#lastKeys)
      ? this.#lastColumns
      : keys.map((key, i) => this.#column(key, docNo, row[i]))
    let restored = false
    for (let i = 0; i < keys.length; i++) {
      const column = columns[i] as Column
      if (column.kind === 'restored') restored = true
      else if (!column.set(docNo, row[i])) {
        column.toValues(docNo, this.#live)
        column.set(docNo, row[i])
      }
    }
    // After the others: whether a restored field's structure holds its value may depend on them.
    if (restored)
      for (let i = 0; i < keys.length; i++) {
        const column = columns[i] as Column
        if (column.kind === 'restored') column.set(docNo, row[i])
      }
    this.#lastKeys = keys
    this.#lastColumns = columns
    // A typed column cannot leave a slot empty, nor a sparse one (its empty slots read as empty
    // lists): a document without the field turns a typed column into arrays, a sparse one maps it.
    if (columns.length < this.#order.length)
      for (const column of this.#order) {
        if (column.lastSet >= docNo) continue
        if (
          column.kind === 'int' ||
          column.kind === 'number' ||
          column.kind === 'boolean' ||
          column.kind === 'ascii' ||
          column.kind === 'utf8'
        )
          column.toValues(docNo + 1, this.#live)
        else if (column.kind === 'sparse' && !column.set(docNo, undefined))
          column.toValues(docNo + 1, this.#live)
      }
    return docNo
  }

  /** The next document number: `doc` stored there, or deleted (a snapshot's deleted slot) when undefined. */
  push(doc: object | undefined): void {
    if (doc) this.add(doc)
    else this.#live.skip(this.#live.length)
  }

  delete(docNo: number): void {
    if (!this.#live.has(docNo)) return
    this.#live.delete(docNo)
    for (const column of this.#order) column.clear(docNo)
  }

  get(docNo: number): object | undefined {
    if (!this.#live.has(docNo)) return undefined
    this.#build ??= builderOf(this.#order.map((column) => column.key))
    return this.#build(this.#order, docNo) ?? this.#assemble(docNo)
  }

  /** Document `docNo` field by field, leaving out the fields it has no value of. */
  #assemble(docNo: number): object {
    const doc: Record<string, unknown> = {}
    for (const column of this.#order) {
      const value = column.get(docNo)
      if (value === undefined) continue
      // A field named `__proto__` is data, as it was in the document (an assignment would set the prototype).
      if (column.key === '__proto__')
        Object.defineProperty(doc, '__proto__', {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        })
      else doc[column.key] = value
    }
    return doc
  }

  field(docNo: number, name: string): unknown {
    return this.#columns.get(name)?.get(docNo)
  }

  /** A reader of one field (see {@link field}) that looks up its column once. */
  reader(name: string): (docNo: number) => unknown {
    const column = this.#column(name, this.length, undefined)
    return (docNo) => column.get(docNo)
  }

  /**
   * The order of a document's string of `name` (one it has) and a string, as `<` orders them,
   * without making the document's string where it is kept as bytes (see {@link packAscii}).
   */
  comparer(name: string): (docNo: number, value: string) => number {
    const column = this.#column(name, this.length, undefined)
    return (docNo, value) => column.compareTo(docNo, value)
  }

  /**
   * Document `docNo` as a source for a plan's leaves: one object for all calls, whose getters read
   * the columns of the document it was last handed out for. Valid until the next call.
   */
  view(docNo: number): Source {
    this.#view[DOC_NO] = docNo
    return this.#view as unknown as Source
  }

  /**
   * `field` is read from `read` (the structure that holds it: a recipient set, a keyword column,
   * the document's other fields it is made of) and no longer stored, but for values `holds` says
   * that structure does not hold (a keyword column holds strings only), which are kept here.
   */
  restore(field: string, read: (docNo: number) => unknown, holds: Holds = () => true): void {
    this.#column(field, this.length, undefined).restore(read, holds, this.length, this.#live)
  }

  /**
   * `field`'s strings are kept as bytes while every document's can be (see {@link StringChunk}),
   * and as strings from the first that cannot: `ascii` for an id (at a million messages their
   * strings and slots were 32 of the heap's 390 bytes a message, as bytes 11), `utf8` for text
   * (a message's content: a load copies its bytes and makes no string). A value is then made at
   * each read: for fields read by the page's hits and ties, not by every candidate.
   */
  packStrings(field: string, encoding: StringEncoding): void {
    this.#packed.set(field, encoding)
    this.#columns.get(field)?.toStrings(encoding, this.length, this.#live)
  }

  /** Whether `field`'s strings are kept as bytes (see {@link packStrings}): a load hands them over undecoded. */
  keepsBytes(field: string): boolean {
    return this.#packed.has(field)
  }

  /** The documents as they are now, unchanged by later writes (see {@link Column.freeze}): for a snapshot. */
  frozen(): StoredDocuments {
    const frozen = new StoredDocuments(LiveBits.copyOf(this.#live))
    for (const column of this.#order) frozen.#adopt(column.freeze())
    return frozen
  }

  /** Slots and typed arrays exactly; what values hold beyond their slots, estimated from a sample. */
  memoryUsage(tally: MemoryTally, liveCount: number, shared: (key: string, value: unknown) => boolean): void {
    const length = this.length
    const live = this.#live
    for (const column of this.#order) {
      tally.add('documents', column.byteLength())
      if (column.kind !== 'values' || length === 0) continue
      let sampled = 0
      let bytes = 0
      const step = Math.max(1, Math.floor(length / SAMPLE))
      for (let docNo = 0; docNo < length && sampled < SAMPLE; docNo += step) {
        if (!live.has(docNo)) continue
        sampled++
        const value = column.get(docNo)
        if (!shared(column.key, value)) bytes += valueBytes(value)
      }
      if (sampled > 0) tally.add('documents', (bytes / sampled) * liveCount)
    }
  }

  /** The column of `key`, made for `value` of document `docNo` when there is none yet. */
  #column(key: string, docNo: number, value: unknown): Column {
    const found = this.#columns.get(key)
    if (found) return found
    // A field first met after other documents: those have no value, which only arrays can say.
    const kind =
      docNo > 0
        ? 'values'
        : typeof value === 'number'
          ? isInt32(value)
            ? 'int'
            : 'number'
          : typeof value === 'boolean'
            ? 'boolean'
            : Array.isArray(value) && value.length === 0
              ? 'sparse'
              : (typeof value === 'string' || value instanceof EncodedString) && this.#packed.has(key)
                ? (this.#packed.get(key) as StringEncoding)
                : 'values'
    return this.#adopt(new Column(key, kind, this.#sizing))
  }

  #adopt(column: Column): Column {
    this.#columns.set(column.key, column)
    this.#order.push(column)
    this.#build = undefined
    const view = this.#view
    Object.defineProperty(view, column.key, {
      get: () => column.get(view[DOC_NO]),
      enumerable: true,
      configurable: true,
    })
    return column
  }
}

type Builder = (columns: readonly Column[], docNo: number) => object | undefined

/** Builders by their source: the same fields make the same function, compiled once. */
const builders = new Map<string, Builder>()

/**
 * A function that makes a document from one value a column (in the columns' order) as an object
 * literal: every document gets the same hidden class at once, where adding field by field walked
 * the transitions a field at a time (a page's hits were 6% of the load mix's time). Undefined
 * when a column has no value for the document: {@link StoredDocuments.get} leaves such a field out.
 */
function builderOf(keys: readonly string[]): Builder {
  const reads = keys.map((_, j) => `const v${j} = c[${j}].get(d)`).join('\n')
  const missing = keys.map((_, j) => `v${j} === undefined`).join(' || ') || 'false'
  const values = keys.map((_, j) => `v${j}`)
  const body = `${reads}\nif (${missing}) return undefined\nreturn ${objectLiteral(keys, values)}`
  let build = builders.get(body)
  if (!build) {
    build = new Function('c', 'd', body) as Builder
    builders.set(body, build)
  }
  return build
}

/** Where a view keeps its document number: a symbol, which no field name can be. */
const DOC_NO = Symbol('docNo')

/** The object {@link StoredDocuments.view} hands out: a getter per field is defined on it. */
class View {
  [DOC_NO] = 0
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
