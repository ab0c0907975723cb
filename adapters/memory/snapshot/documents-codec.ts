/**
 * @module Stored documents to msgpack and back, in chunks: each chunk is one msgpack array of
 * records (msgpackr's record structures, defined inline, so a chunk decodes on its own), packed
 * and written one at a time so that a save never holds the event loop for the whole index.
 */
import { Packr, Unpackr } from 'msgpackr'

/** Documents per chunk: a few milliseconds of packing each. */
export const DOCUMENTS_PER_CHUNK = 4096

/** Where one chunk is in `documents.msgpack`. */
export interface DocumentChunk {
  offset: number
  bytes: number
  count: number
}

/** The options both ends use: records for the documents' repeated shapes. */
const MSGPACK_OPTIONS = { useRecords: true } as const

/** The packer of snapshot parts (documents and the structure in `meta.msgpack`). */
export function snapshotPackr(): Packr {
  return new Packr(MSGPACK_OPTIONS)
}

export function unpackSnapshotPart(bytes: Uint8Array): unknown {
  return new Unpackr(MSGPACK_OPTIONS).unpack(bytes)
}

/**
 * The documents `[from, from + DOCUMENTS_PER_CHUNK)` packed: a deleted slot as nil, and each
 * field of `restored` as nil in a copy of the document (its value comes back from the indexes;
 * the copy keeps the field's place among the others).
 */
export function packChunk(
  packr: Packr,
  documents: readonly (object | undefined)[],
  from: number,
  restored: readonly string[],
): Uint8Array {
  const chunk: (object | null)[] = []
  const to = Math.min(documents.length, from + DOCUMENTS_PER_CHUNK)
  for (let docNo = from; docNo < to; docNo++) {
    const doc = documents[docNo]
    if (doc === undefined) chunk.push(null)
    else if (restored.length === 0) chunk.push(doc)
    else {
      const copy: Record<string, unknown> = { ...doc }
      for (const field of restored) copy[field] = null
      chunk.push(copy)
    }
  }
  return packr.pack(chunk)
}

/** The documents of every chunk, in order: deleted slots as null. */
export function unpackChunks(part: Uint8Array, chunks: readonly DocumentChunk[]): (object | null)[] {
  const documents: (object | null)[] = []
  for (const { offset, bytes, count } of chunks) {
    if (offset < 0 || offset + bytes > part.byteLength)
      throw new Error('a document chunk lies outside its part')
    const chunk = unpackSnapshotPart(part.subarray(offset, offset + bytes))
    if (!Array.isArray(chunk) || chunk.length !== count)
      throw new Error('a document chunk has the wrong length')
    for (const doc of chunk) documents.push(doc as object | null)
  }
  return documents
}
