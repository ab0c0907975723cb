/**
 * @module Cell values as Tablestore types them, plus the primary-key sentinels.
 *
 * Integers are `bigint` so that int64 values survive the round trip through PlainBuffer.
 */

export type IntegerValue = { readonly kind: 'INTEGER'; readonly value: bigint }
export type DoubleValue = { readonly kind: 'DOUBLE'; readonly value: number }
export type BooleanValue = { readonly kind: 'BOOLEAN'; readonly value: boolean }
export type StringValue = { readonly kind: 'STRING'; readonly value: string }
export type BinaryValue = { readonly kind: 'BINARY'; readonly value: Buffer }

/** A value an attribute column can hold. */
export type Value = IntegerValue | DoubleValue | BooleanValue | StringValue | BinaryValue

/** A value a primary-key column can hold (INTEGER, STRING, BINARY). */
export type PkValue = IntegerValue | StringValue | BinaryValue

export type InfMin = { readonly kind: 'INF_MIN' }
export type InfMax = { readonly kind: 'INF_MAX' }
export type AutoIncrement = { readonly kind: 'AUTO_INCREMENT' }

/** A primary-key value as it may appear on the wire: real, a range bound, or the auto-increment placeholder. */
export type WirePkValue = PkValue | InfMin | InfMax | AutoIncrement

export const INF_MIN: InfMin = { kind: 'INF_MIN' }
export const INF_MAX: InfMax = { kind: 'INF_MAX' }

export const integer = (value: bigint): IntegerValue => ({ kind: 'INTEGER', value })
export const double = (value: number): DoubleValue => ({ kind: 'DOUBLE', value })
export const string = (value: string): StringValue => ({ kind: 'STRING', value })

/** Whether a wire PK value is a storable key value. */
export function isPkValue(value: WirePkValue | Value): value is PkValue {
  return value.kind === 'INTEGER' || value.kind === 'STRING' || value.kind === 'BINARY'
}

/**
 * Total order used inside one type: INTEGER numerically, STRING and BINARY bytewise (UTF-8 for
 * strings, as Tablestore compares stored bytes), DOUBLE numerically, BOOLEAN false < true.
 * Values of different kinds compare by kind name only so sorting stays deterministic.
 */
export function compareValues(a: Value, b: Value): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1
  switch (a.kind) {
    case 'INTEGER': {
      const bv = (b as IntegerValue).value
      return a.value < bv ? -1 : a.value > bv ? 1 : 0
    }
    case 'DOUBLE': {
      const bv = (b as DoubleValue).value
      return a.value < bv ? -1 : a.value > bv ? 1 : 0
    }
    case 'BOOLEAN':
      return Number(a.value) - Number((b as BooleanValue).value)
    case 'STRING':
      return compareUtf8(a.value, (b as StringValue).value)
    case 'BINARY':
      return Buffer.compare(a.value, (b as BinaryValue).value)
  }
}

/** Bytewise comparison of the UTF-8 encodings, without allocating for pure-ASCII strings. */
export function compareUtf8(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a < b ? -1 : a > b ? 1 : 0
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}

/** Equality of two values of any kind (different kinds are never equal). */
export function valuesEqual(a: Value, b: Value): boolean {
  return a.kind === b.kind && compareValues(a, b) === 0
}

/** Short human form for error messages. */
export function describeValue(value: Value | WirePkValue): string {
  switch (value.kind) {
    case 'STRING':
      return JSON.stringify(value.value)
    case 'BINARY':
      return `<binary ${value.value.length} bytes>`
    case 'INTEGER':
    case 'DOUBLE':
    case 'BOOLEAN':
      return String(value.value)
    default:
      return value.kind
  }
}

/**
 * The size a value counts for in Tablestore's limits: UTF-8 bytes of a STRING, bytes of a BINARY,
 * 8 for INTEGER and DOUBLE, 1 for BOOLEAN (limits on the Wide Column model,
 * https://www.alibabacloud.com/help/en/tablestore/limits-on-widecolumn-model).
 */
export function valueBytes(value: Value | PkValue): number {
  if (value.kind === 'STRING') return Buffer.byteLength(value.value, 'utf8')
  if (value.kind === 'BINARY') return value.value.length
  return value.kind === 'BOOLEAN' ? 1 : 8
}
