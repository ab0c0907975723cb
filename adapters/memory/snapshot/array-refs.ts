/**
 * @module Typed arrays out of a snapshot's structure and back: each one becomes a reference to its
 * bytes in one shared part (`arrays.bin`), so a million documents' postings are a few large writes
 * and, at load, views over the part's buffer instead of copies.
 */

/** The typed arrays a snapshot holds. */
export type SavedArray = Int32Array | Float64Array | Uint8Array

const TYPES = { i32: Int32Array, f64: Float64Array, u8: Uint8Array } as const

/** Where a typed array's bytes are in `arrays.bin`. */
interface ArrayRef {
  $array: keyof typeof TYPES
  offset: number
  length: number
}

function typeOf(value: SavedArray): keyof typeof TYPES {
  return value instanceof Int32Array ? 'i32' : value instanceof Float64Array ? 'f64' : 'u8'
}

/** Every array starts on a multiple of this, so that it loads as an aligned view. */
const ALIGN = 8

/** Typed arrays taken out of structures, in write order, and their total size with padding. */
export class ArrayLayout {
  #pending: SavedArray[] = []
  #bytes = 0

  /** The arrays extracted since the last call, in the order their offsets were given. */
  take(): SavedArray[] {
    const taken = this.#pending
    this.#pending = []
    return taken
  }

  get bytes(): number {
    return this.#bytes
  }

  /**
   * `value` with each typed array replaced by an {@link ArrayRef}: plain objects and arrays are
   * walked, other values kept as they are.
   */
  extract(value: unknown): unknown {
    if (value instanceof Int32Array || value instanceof Float64Array || value instanceof Uint8Array) {
      const ref: ArrayRef = { $array: typeOf(value), offset: this.#bytes, length: value.length }
      this.#pending.push(value)
      this.#bytes += Math.ceil(value.byteLength / ALIGN) * ALIGN
      return ref
    }
    if (Array.isArray(value)) return value.map((v) => this.extract(v))
    if (!isPlainObject(value)) return value
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, this.extract(v)]))
  }
}

/** Zero bytes that pad an array to {@link ALIGN}. */
export function paddingOf(array: SavedArray): Uint8Array {
  return new Uint8Array(Math.ceil(array.byteLength / ALIGN) * ALIGN - array.byteLength)
}

/**
 * The structure {@link ArrayLayout.extract} made, with each reference replaced by a view over
 * `buffer` (the whole `arrays.bin`, at offset 0 of its own ArrayBuffer). Throws on a reference
 * outside the buffer.
 */
export function restoreArrays(value: unknown, buffer: ArrayBuffer): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreArrays(value[i], buffer)
    return value
  }
  if (!isPlainObject(value)) return value
  if ('$array' in value) {
    const { $array, offset, length } = value as unknown as ArrayRef
    const type = Object.hasOwn(TYPES, $array) ? TYPES[$array] : undefined
    if (!type || !Number.isInteger(offset) || !Number.isInteger(length) || offset % ALIGN !== 0)
      throw new Error('a typed-array reference is malformed')
    if (offset < 0 || length < 0 || offset + length * type.BYTES_PER_ELEMENT > buffer.byteLength)
      throw new Error('a typed-array reference points outside arrays.bin')
    return new type(buffer, offset, length)
  }
  for (const [key, v] of Object.entries(value)) value[key] = restoreArrays(v, buffer)
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value)
}
