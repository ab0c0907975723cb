/**
 * @module One chunk of a column of strings kept as bytes (`stored-documents.ts`): ids as ASCII,
 * one byte a character, and text as UTF-8; the strings' bytes end to end, and where each slot's
 * string ends. A string is made only when read: for a page's hits, not for every candidate. A
 * snapshot's load hands the bytes over undecoded ({@link EncodedString}): making a million
 * message texts and ids as strings only to write them back as bytes took 0.2-0.5 s of a 2.8-3.2 s
 * start at a million messages (runs alternated with and without), and the texts' strings 20 MB
 * more of the heap than their bytes.
 */

/** How a chunk's strings are kept: `ascii` compares them without making them (an id's order). */
export type StringEncoding = 'ascii' | 'utf8'

/**
 * A string a snapshot's load has not decoded: the UTF-8 bytes `[start, end)` of `text`. One
 * object is handed out row after row, so it is never kept: a chunk copies its bytes, any other
 * storage keeps {@link toString}'s string.
 */
export class EncodedString {
  text: Buffer = Buffer.alloc(0)
  start = 0
  end = 0

  toString(): string {
    return this.text.toString('utf8', this.start, this.end)
  }
}

/** Whether a chunk of `encoding` can keep `value` so that it reads back the same. */
export function keepsString(encoding: StringEncoding, value: string): boolean {
  if (encoding === 'utf8') return value.isWellFormed() // a lone surrogate has no UTF-8
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false
  return true
}

/**
 * Written in document order only (a chunk's slots up to `filled`); a slot passed over (a deleted
 * document of a load) holds the empty string.
 */
export class StringChunk {
  bytes: Buffer
  ends: Int32Array
  filled = 0

  /**
   * Room for `slots` strings of `bytesPerSlot` bytes each (see {@link bytesPerSlot}): a chunk's
   * bytes grown by doubling were copied a dozen times, and each copy counted towards the next
   * full collection of the V8 heap (what an ingest of a million messages showed).
   */
  constructor(
    readonly encoding: StringEncoding,
    slots: number,
    bytesPerSlot = 8,
  ) {
    this.ends = new Int32Array(slots)
    this.bytes = Buffer.allocUnsafe(slots * bytesPerSlot)
  }

  /** The bytes a filled slot takes on average, rounded up (8 for an empty chunk): a next chunk's guess. */
  get bytesPerSlot(): number {
    return this.filled === 0 ? 8 : Math.ceil(this.#startOf(this.filled) / this.filled)
  }

  get(slot: number): string | undefined {
    if (slot >= this.filled) return undefined
    return this.bytes.toString(
      this.encoding === 'ascii' ? 'latin1' : 'utf8',
      this.#startOf(slot),
      this.ends[slot],
    )
  }

  /**
   * The order of `slot`'s string and `value` (as `<` orders strings), without making the string;
   * an `ascii` chunk's only (UTF-8's byte order is not JavaScript's above the surrogates).
   */
  compare(slot: number, value: string): number {
    const bytes = this.bytes
    const start = this.#startOf(slot)
    const length = (this.ends[slot] as number) - start
    const common = Math.min(length, value.length)
    for (let i = 0; i < common; i++) {
      const byte = bytes[start + i] as number
      const unit = value.charCodeAt(i)
      if (byte !== unit) return byte < unit ? -1 : 1
    }
    return length < value.length ? -1 : length > value.length ? 1 : 0
  }

  /**
   * Stores `value` (one {@link keepsString} accepts) in `slot`, at or after the slots filled:
   * false for one before them.
   */
  set(slot: number, value: string): boolean {
    if (slot < this.filled) return false
    const start = this.#startOf(this.filled)
    if (this.encoding === 'ascii') {
      const bytes = this.#room(start, value.length)
      for (let i = 0; i < value.length; i++) bytes[start + i] = value.charCodeAt(i)
      this.#filledTo(slot, start, start + value.length)
    } else {
      // Room for the longest it can be (three bytes a UTF-16 unit), not measured first: one pass.
      const bytes = this.#room(start, value.length * 3)
      this.#filledTo(slot, start, start + bytes.write(value, start, 'utf8'))
    }
    return true
  }

  /**
   * Stores the undecoded `value` in `slot`, at or after the slots filled: false for one before
   * them, or for bytes an `ascii` chunk cannot hold.
   */
  setEncoded(slot: number, value: EncodedString): boolean {
    if (slot < this.filled) return false
    const { text, start: from, end: to } = value
    const start = this.#startOf(this.filled)
    const bytes = this.#room(start, to - from)
    if (this.encoding === 'ascii') {
      for (let i = from; i < to; i++) if ((text[i] as number) > 0x7f) return false
    }
    // Most are short (an id, a chat line): a loop, without a view each for a copy.
    for (let i = from; i < to; i++) bytes[start + i - from] = text[i] as number
    this.#filledTo(slot, start, start + to - from)
    return true
  }

  /** The bytes cut to those the slots hold (a full chunk, or one made whole at once). */
  trim(): void {
    const end = this.#startOf(this.filled)
    if (end < this.bytes.length) this.bytes = Buffer.from(this.bytes.subarray(0, end))
  }

  /** A copy with room for `slots` slots, and for their bytes at {@link bytesPerSlot} each. */
  copy(slots = this.ends.length): StringChunk {
    const used = this.#startOf(this.filled)
    const copy = new StringChunk(this.encoding, slots, 0)
    copy.bytes = Buffer.allocUnsafe(Math.max(this.bytes.length, slots * this.bytesPerSlot))
    this.bytes.copy(copy.bytes, 0, 0, used)
    copy.ends.set(this.ends.subarray(0, Math.min(slots, this.filled)))
    copy.filled = this.filled
    return copy
  }

  get byteLength(): number {
    return this.bytes.length + this.ends.byteLength
  }

  /** The bytes, grown if need be to hold `length` more from `start`. */
  #room(start: number, length: number): Buffer {
    if (start + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, start + length))
      this.bytes.copy(grown, 0, 0, start)
      this.bytes = grown
    }
    return this.bytes
  }

  /** Slots up to `slot` filled: those passed over empty (ending at `start`), `slot` ending at `end`. */
  #filledTo(slot: number, start: number, end: number): void {
    if (slot > this.filled) this.ends.fill(start, this.filled, slot)
    this.ends[slot] = end
    this.filled = slot + 1
  }

  /** Where `slot`'s string starts: where the slot before it ends (for `filled`, the bytes' end). */
  #startOf(slot: number): number {
    return slot === 0 ? 0 : (this.ends[slot - 1] as number)
  }
}
