/**
 * @module The SDK's own compiled protobuf messages, loaded once and typed structurally.
 *
 * Reusing `tablestore_compiled_proto.js` (rather than a second copy of the .proto files) guarantees the
 * emulator decodes exactly the bytes the SDK writes, field numbers and proto2 defaults included.
 */
import { createRequire } from 'node:module'

/** Encode/decode pair of one pbjs static-module message class. */
export interface MessageCodec {
  decode(bytes: Uint8Array): object
  encode(message: object): { finish(): Uint8Array }
  fromObject(object: object): object
}

type Namespace = Readonly<Record<string, MessageCodec | undefined>>

interface CompiledProto {
  main: { proto: Namespace }
  filter: { proto: Namespace }
  search: { proto: Namespace }
}

const require = createRequire(import.meta.url)
const compiled = require('tablestore/lib/protocol/tablestore_compiled_proto.js') as CompiledProto

/** Protobuf namespaces as named by `build_proto.sh`: table/row API, column filters, search API. */
export const mainProto: Namespace = compiled.main.proto
export const filterProto: Namespace = compiled.filter.proto
export const searchProto: Namespace = compiled.search.proto

function codec(ns: Namespace, name: string): MessageCodec {
  const found = ns[name]
  if (!found)
    throw new Error(`[im-search] [tablestore-emulator] protobuf message ${name} is missing from the SDK`)
  return found
}

/** Looks up a message class by name in the table, filter or search namespace. */
export function mainMessage(name: string): MessageCodec {
  return codec(mainProto, name)
}
export function filterMessage(name: string): MessageCodec {
  return codec(filterProto, name)
}
export function searchMessage(name: string): MessageCodec {
  return codec(searchProto, name)
}

/**
 * Decodes bytes with a message class and returns the message as `T`.
 *
 * The cast is the protocol edge: `T` is a hand-written interface of the proto fields we read
 * (see `messages.ts`). pbjs puts proto2 defaults on the prototype, so use {@link has} for presence.
 */
export function decodeAs<T>(message: MessageCodec, bytes: Uint8Array): T {
  return message.decode(bytes) as T
}

/** Encodes a plain object (camelCase field names) with `fromObject`, so enums and int64s convert. */
export function encodeMessage(message: MessageCodec, value: object): Uint8Array {
  return message.encode(message.fromObject(value)).finish()
}

/** Whether an optional proto field was present on the wire (pbjs sets own properties only when decoded). */
export function has<T extends object>(message: T, key: keyof T & string): boolean {
  return Object.hasOwn(message, key)
}

/** int64 as decoded by pbjs (a `Long`, or a number when long.js is absent). */
export type Int64Like = number | { toString(): string }

/** Converts a pbjs int64 to a JS number (values used here are small: limits, timestamps). */
export function int64ToNumber(value: Int64Like | null | undefined): number {
  if (value === null || value === undefined) return 0
  return typeof value === 'number' ? value : Number(value.toString())
}
