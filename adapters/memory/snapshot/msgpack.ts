/** @module The msgpack options of snapshot parts (the structure in `meta.msgpack`, mixed document columns). */
import { Packr, Unpackr } from 'msgpackr'

/** Records for repeated object shapes. */
const MSGPACK_OPTIONS = { useRecords: true } as const

export function snapshotPackr(): Packr {
  return new Packr(MSGPACK_OPTIONS)
}

export function unpackSnapshotPart(bytes: Uint8Array): unknown {
  return new Unpackr(MSGPACK_OPTIONS).unpack(bytes)
}
