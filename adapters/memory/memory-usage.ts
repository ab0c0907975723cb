/**
 * @module Bytes held by the embedded engine's structures, by part, for `/metrics` (issue 15).
 * Typed arrays are counted exactly (`byteLength` of what they hold allocated, spare capacity
 * included); maps, strings, arrays and document objects are estimated from their counts and
 * lengths with V8's sizes on 64-bit Node without pointer compression (Node's default build), since
 * a JS object's footprint cannot be read from JS.
 */

/**
 * The parts, each a kind of structure across every field of an index:
 * - `postings`: the document-number arrays of every term, cell and recipient set, and the text
 *   fields' per-term counts (exact);
 * - `positions`: the text fields' token sequences and per-document offsets and counts (exact);
 * - `masks`: per-document and per-caller typed arrays: recipient-set numbers, permission masks, the visit marks (exact);
 * - `terms`: the term → posting maps, their keys and the posting objects (estimate; a key is
 *   counted in every index holding it, though a loaded snapshot shares equal keys across indexes);
 * - `recipient_sets`: the distinct recipient lists (as changes of earlier ones, and those made as
 *   lists) and the member → sets-added-in lists (estimate);
 * - `ids`: the document id → number table (its typed arrays; the ids are the documents');
 * - `documents`: the stored documents, from a sample of them (estimate).
 */
export type MemoryPart = 'postings' | 'positions' | 'masks' | 'terms' | 'recipient_sets' | 'ids' | 'documents'

/** Per entry of a `Map` (key, value and chain slots plus its share of the buckets and spare capacity). */
export const MAP_ENTRY_BYTES = 40
/** A JS object with a few properties, or a typed array's wrapper objects. */
export const OBJECT_BYTES = 56
/** A posting: its object and its `Int32Array`'s and `ArrayBuffer`'s wrappers. */
export const POSTING_OBJECT_BYTES = 3 * OBJECT_BYTES
/** A slot of a JS array or an object property: one pointer. */
export const SLOT_BYTES = 8

/** A string: its header and characters (one byte each for Latin-1 text, two otherwise), 8-aligned. */
export function stringBytes(value: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the Latin-1 range, which V8 stores one byte a character
  const perChar = /^[\u0000-\u00ff]*$/.test(value) ? 1 : 2
  return 16 + Math.ceil((value.length * perChar) / 8) * 8
}

/** Strings whose sizes estimate the others' in {@link stringsBytes}. */
const STRING_SAMPLE = 64

/**
 * The bytes of `count` strings, estimated from the first {@link STRING_SAMPLE} of `strings`:
 * a scrape of `/metrics` then costs a loop over the structures, not a size per string.
 */
export function stringsBytes(strings: Iterable<string>, count: number): number {
  let sampled = 0
  let bytes = 0
  for (const value of strings) {
    if (sampled === STRING_SAMPLE) break
    sampled++
    bytes += stringBytes(value)
  }
  return sampled === 0 ? 0 : (bytes / sampled) * count
}

/**
 * An estimate of what `value` holds (objects, arrays, strings, numbers), not counting the
 * properties `skip` names (structures counted elsewhere, such as a shared recipient list).
 */
export function valueBytes(value: unknown, skip?: (key: string, value: unknown) => boolean): number {
  if (typeof value === 'string') return stringBytes(value)
  // Small integers live in the slot itself (Smis); other numbers, such as times, in a heap number.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : 16
  // A JSArray (map, properties, elements, length) and its elements' header.
  if (Array.isArray(value)) return 48 + value.reduce((sum: number, v) => sum + SLOT_BYTES + valueBytes(v), 0)
  if (typeof value === 'object' && value !== null) {
    // Map, properties and elements pointers; the properties in the object.
    let bytes = 24
    for (const [key, v] of Object.entries(value)) bytes += SLOT_BYTES + (skip?.(key, v) ? 0 : valueBytes(v))
    return bytes
  }
  return 0
}

/** Sums bytes by part. */
export class MemoryTally {
  readonly #bytes = new Map<MemoryPart, number>()

  add(part: MemoryPart, bytes: number): void {
    this.#bytes.set(part, (this.#bytes.get(part) ?? 0) + bytes)
  }

  /** Every part reported, in a fixed order. */
  parts(): { part: MemoryPart; bytes: number }[] {
    return [...this.#bytes].map(([part, bytes]) => ({ part, bytes: Math.round(bytes) }))
  }
}
