/**
 * @module Typed arrays out of a snapshot's structure and back: each one becomes a reference to its
 * bytes in one shared part (`arrays.bin`), so a million documents' postings are a few large writes
 * and, at load, views over the part's buffer instead of copies.
 */

/** The typed arrays a snapshot holds. */
export type SavedArray = Int32Array | Float64Array

/** Where a typed array's bytes are in `arrays.bin`. */
interface ArrayRef {
  $array: 'i32' | 'f64'
  offset: number
  length: number
}

/** Every array starts on a multiple of this, so that it loads as an aligned view. */
const ALIGN = 8

/** Typed arrays taken out of structures, in write order, and their total size with padding. */
export class ArrayLayout {
  readonly arrays: SavedArray[] = []
  #bytes = 0

  get bytes(): number {
    return this.#bytes
  }

  /**
   * `value` with each typed array replaced by an {@link ArrayRef}: plain objects are walked, other
   * values (strings, string lists, numbers) are kept as they are.
   */
  extract(value: unknown): unknown {
    if (value instanceof Int32Array || value instanceof Float64Array) {
      const ref: ArrayRef = {
        $array: value instanceof Int32Array ? 'i32' : 'f64',
        offset: this.#bytes,
        length: value.length,
      }
      this.arrays.push(value)
      this.#bytes += Math.ceil(value.byteLength / ALIGN) * ALIGN
      return ref
    }
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
  if (!isPlainObject(value)) return value
  if ('$array' in value) {
    const { $array, offset, length } = value as unknown as ArrayRef
    const type = $array === 'i32' ? Int32Array : $array === 'f64' ? Float64Array : undefined
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
