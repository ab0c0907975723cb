/** @module The msgpack options of snapshot parts (the structure in `meta.msgpack`, mixed document columns). */
import { clearSource, Packr, Unpackr } from 'msgpackr'

/** One msgpack nil (see {@link unpackSnapshotPart}). */
const NIL = Uint8Array.of(0xc0)

/** Records for repeated object shapes. */
const MSGPACK_OPTIONS = { useRecords: true } as const

export function snapshotPackr(): Packr {
  return new Packr(MSGPACK_OPTIONS)
}

export function unpackSnapshotPart(bytes: Uint8Array): unknown {
  try {
    return new Unpackr(MSGPACK_OPTIONS).unpack(bytes)
  } finally {
    // msgpackr keeps the last buffer it read (and a DataView of it) in module variables: a view
    // into a part would keep the part's whole buffer alive after the load. Reading a nil of our
    // own moves them off it.
    new Unpackr(MSGPACK_OPTIONS).unpack(NIL)
    clearSource()
  }
}
