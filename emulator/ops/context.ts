/**
 * @module What every operation handler receives, and the helpers they share for decoding
 * requests and building responses.
 */
import { invalidParameter } from '../errors.ts'
import type { OutRow } from '../plainbuffer/writer.ts'
import { writeRow } from '../plainbuffer/writer.ts'
import type { MessageCodec } from '../protocol/proto.ts'
import { decodeAs, encodeMessage } from '../protocol/proto.ts'
import type { SearchRegistry } from '../search/registry.ts'
import type { ScanSessions } from '../search/scan-sessions.ts'
import type { Catalog } from '../store/catalog.ts'

/** The emulated instance: tables, search indexes, scan sessions and the clock. */
export interface EmulatorState {
  readonly catalog: Catalog
  readonly search: SearchRegistry
  readonly scans: ScanSessions
  /** Milliseconds before a write becomes visible to Search and ParallelScan. */
  readonly indexLagMs: number
  /** Milliseconds after CreateTable during which the table refuses reads and writes. */
  readonly tableReadyMs: number
  /** Milliseconds after CreateSearchIndex before the rows that existed before it are searchable. */
  readonly indexReadyMs: number
  /** Milliseconds a global secondary index trails its table. */
  readonly secondaryIndexLagMs: number
  /** Tables the instance may hold, secondary index tables included. */
  readonly maxTables: number
  now(): number
}

/** How an injected fault changes an answer the operation still gives (see `faults.ts`). */
export interface AnswerMods {
  /** Search answers from part of its shards, with `is_all_succeeded: false`. */
  readonly partial?: boolean
}

/** One API operation: decoded body in, encoded response message out. */
export type Handler = (state: EmulatorState, body: Uint8Array, mods: AnswerMods) => Uint8Array

/** Decodes a request; proto2 violations (missing required fields) become OTSParameterInvalid. */
export function decodeRequest<T>(message: MessageCodec, body: Uint8Array): T {
  try {
    return decodeAs<T>(message, body)
  } catch (err) {
    throw invalidParameter(`Malformed request body: ${(err as Error).message}.`)
  }
}

/** Encodes a response message from a plain object. */
export function respond(message: MessageCodec, value: object): Uint8Array {
  return encodeMessage(message, value)
}

/** A `ConsumedCapacity` message body. */
export function consumed(read: number, write: number): { capacityUnit: { read: number; write: number } } {
  return { capacityUnit: { read, write } }
}

/** Encodes an optional row for a response's `row` bytes field (empty when there is none). */
export function rowBytes(row: OutRow | undefined): Buffer {
  return row ? writeRow(row) : Buffer.alloc(0)
}
