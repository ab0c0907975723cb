/**
 * @module PlainBuffer decoder for rows, primary keys and bare variants sent by the SDK.
 *
 * The SDK's own reader cannot parse INF_MIN/INF_MAX/AUTO_INCREMENT keys or cell-type tags, so the
 * emulator has its own. Every cell and row checksum is verified; a mismatch is a client error.
 */
import { invalidParameter } from '../errors.ts'
import type { Value, WirePkValue } from '../model/values.ts'
import * as C from './constants.ts'
import { crcByte, crcBytes, crcInt32 } from './crc8.ts'

/** The UpdateRow operation a cell carries; absent means a plain PUT. */
export type CellOp = 'DELETE_ALL' | 'DELETE_ONE' | 'INCREMENT'

/** One attribute cell as decoded. `value` is absent for deletes. */
export interface WireCell {
  readonly name: string
  readonly value?: Value
  readonly op?: CellOp
  readonly timestamp?: number
}

/** One decoded row: primary-key cells, attribute cells, and whether it carries the delete marker. */
export interface WireRow {
  readonly primaryKey: readonly { readonly name: string; readonly value: WirePkValue }[]
  readonly cells: readonly WireCell[]
  readonly deleteMarker: boolean
}

class Cursor {
  #pos = 0
  constructor(readonly buf: Buffer) {}
  get atEnd(): boolean {
    return this.#pos >= this.buf.length
  }
  /** Whether only zero bytes remain (the SDK over-allocates buffers holding INF_MIN/INF_MAX keys). */
  onlyPaddingLeft(): boolean {
    for (let i = this.#pos; i < this.buf.length; i++) if (this.buf[i] !== 0) return false
    return true
  }
  peek(): number | undefined {
    return this.buf[this.#pos]
  }
  u8(): number {
    this.need(1)
    return this.buf.readUInt8(this.#pos++)
  }
  i32(): number {
    this.need(4)
    const v = this.buf.readInt32LE(this.#pos)
    this.#pos += 4
    return v
  }
  bytes(n: number): Buffer {
    if (n < 0) throw invalidParameter('Invalid plain buffer: negative length.')
    this.need(n)
    const out = this.buf.subarray(this.#pos, this.#pos + n)
    this.#pos += n
    return out
  }
  private need(n: number): void {
    if (this.#pos + n > this.buf.length)
      throw invalidParameter('Invalid plain buffer: unexpected end of data.')
  }
}

function expectTag(cur: Cursor, tag: number, what: string): void {
  const got = cur.u8()
  if (got !== tag)
    throw invalidParameter(`Invalid plain buffer: expected ${what} (tag ${tag}) but got tag ${got}.`)
}

/** Reads a typed value payload (after the type byte) and folds it into the checksum. */
function readTyped(cur: Cursor, type: number, crc: number): { value: Value | WirePkValue; crc: number } {
  let c = crcByte(crc, type)
  switch (type) {
    case C.VT_INTEGER: {
      const raw = cur.bytes(8)
      return { value: { kind: 'INTEGER', value: raw.readBigInt64LE(0) }, crc: crcBytes(c, raw) }
    }
    case C.VT_DOUBLE: {
      const raw = cur.bytes(8)
      return { value: { kind: 'DOUBLE', value: raw.readDoubleLE(0) }, crc: crcBytes(c, raw) }
    }
    case C.VT_BOOLEAN: {
      const b = cur.u8()
      return { value: { kind: 'BOOLEAN', value: b !== 0 }, crc: crcByte(c, b !== 0 ? 1 : 0) }
    }
    case C.VT_STRING:
    case C.VT_BLOB: {
      const len = cur.i32()
      const raw = cur.bytes(len)
      c = crcBytes(crcInt32(c, len), raw)
      const value: Value =
        type === C.VT_STRING
          ? { kind: 'STRING', value: raw.toString('utf8') }
          : { kind: 'BINARY', value: Buffer.from(raw) }
      return { value, crc: c }
    }
    case C.VT_INF_MIN:
      return { value: { kind: 'INF_MIN' }, crc: c }
    case C.VT_INF_MAX:
      return { value: { kind: 'INF_MAX' }, crc: c }
    case C.VT_AUTO_INCREMENT:
      return { value: { kind: 'AUTO_INCREMENT' }, crc: c }
    default:
      throw invalidParameter(`Invalid plain buffer: unsupported value type ${type}.`)
  }
}

function readCellName(cur: Cursor): { name: string; crc: number } {
  expectTag(cur, C.TAG_CELL_NAME, 'TAG_CELL_NAME')
  const raw = cur.bytes(cur.i32())
  return { name: raw.toString('utf8'), crc: crcBytes(0, raw) }
}

function readCellValue(cur: Cursor, crc: number): { value: Value | WirePkValue; crc: number } {
  cur.i32() // payload length (type byte + data); redundant with the typed payload itself
  return readTyped(cur, cur.u8(), crc)
}

function readChecksum(cur: Cursor, tag: number, expected: number, what: string): void {
  expectTag(cur, tag, what)
  const got = cur.u8()
  if (got !== expected) throw invalidParameter(`Invalid plain buffer: ${what} mismatch.`)
}

function readRowBody(cur: Cursor): WireRow {
  let rowCrc = 0
  const primaryKey: { name: string; value: WirePkValue }[] = []
  const cells: WireCell[] = []
  if (cur.peek() === C.TAG_ROW_PK) {
    cur.u8()
    while (cur.peek() === C.TAG_CELL) {
      cur.u8()
      const { name, crc: nameCrc } = readCellName(cur)
      expectTag(cur, C.TAG_CELL_VALUE, 'TAG_CELL_VALUE')
      const { value, crc } = readCellValue(cur, nameCrc)
      if (value.kind === 'DOUBLE' || value.kind === 'BOOLEAN')
        throw invalidParameter(`Invalid primary key column ${name}: type ${value.kind} is not allowed.`)
      readChecksum(cur, C.TAG_CELL_CHECKSUM, crc, 'cell checksum')
      rowCrc = crcByte(rowCrc, crc)
      primaryKey.push({ name, value })
    }
  }
  if (cur.peek() === C.TAG_ROW_DATA) {
    cur.u8()
    while (cur.peek() === C.TAG_CELL) {
      cur.u8()
      const cell = readAttributeCell(cur)
      rowCrc = crcByte(rowCrc, cell.crc)
      cells.push(cell.cell)
    }
  }
  let deleteMarker = false
  if (cur.peek() === C.TAG_DELETE_ROW_MARKER) {
    cur.u8()
    deleteMarker = true
  }
  rowCrc = crcByte(rowCrc, deleteMarker ? 1 : 0)
  readChecksum(cur, C.TAG_ROW_CHECKSUM, rowCrc, 'row checksum')
  return { primaryKey, cells, deleteMarker }
}

function readAttributeCell(cur: Cursor): { cell: WireCell; crc: number } {
  const { name, crc: nameCrc } = readCellName(cur)
  let crc = nameCrc
  let value: Value | undefined
  let op: CellOp | undefined
  let timestamp: number | undefined
  if (cur.peek() === C.TAG_CELL_VALUE) {
    cur.u8()
    const read = readCellValue(cur, crc)
    if (
      read.value.kind === 'INF_MIN' ||
      read.value.kind === 'INF_MAX' ||
      read.value.kind === 'AUTO_INCREMENT'
    )
      throw invalidParameter(
        `Invalid attribute column ${name}: ${read.value.kind} is only valid in a primary key.`,
      )
    value = read.value
    crc = read.crc
  }
  let opByte: number | undefined
  if (cur.peek() === C.TAG_CELL_TYPE) {
    cur.u8()
    opByte = cur.u8()
    if (opByte === C.OP_DELETE_ALL_VERSIONS) op = 'DELETE_ALL'
    else if (opByte === C.OP_DELETE_ONE_VERSION) op = 'DELETE_ONE'
    else if (opByte === C.OP_INCREMENT) op = 'INCREMENT'
    else throw invalidParameter(`Invalid plain buffer: unknown cell type ${opByte}.`)
  }
  if (cur.peek() === C.TAG_CELL_TIMESTAMP) {
    cur.u8()
    const raw = cur.bytes(8)
    timestamp = Number(raw.readBigInt64LE(0))
    crc = crcBytes(crc, raw)
  }
  // The SDK folds the operation byte in after the timestamp.
  if (opByte !== undefined) crc = crcByte(crc, opByte)
  readChecksum(cur, C.TAG_CELL_CHECKSUM, crc, 'cell checksum')
  const cell: WireCell = {
    name,
    ...(value !== undefined ? { value } : {}),
    ...(op !== undefined ? { op } : {}),
    ...(timestamp !== undefined ? { timestamp } : {}),
  }
  return { cell, crc }
}

/** Decodes a PlainBuffer holding one header and any number of rows. */
export function readRows(bytes: Uint8Array): WireRow[] {
  const cur = new Cursor(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  if (cur.i32() !== C.HEADER) throw invalidParameter('Invalid plain buffer: bad header.')
  const rows: WireRow[] = []
  while (!cur.atEnd && !cur.onlyPaddingLeft()) rows.push(readRowBody(cur))
  return rows
}

/** Decodes a PlainBuffer that must hold exactly one row. */
export function readRow(bytes: Uint8Array): WireRow {
  const rows = readRows(bytes)
  const [row] = rows
  if (!row || rows.length !== 1)
    throw invalidParameter(`Invalid plain buffer: expected one row, got ${rows.length}.`)
  return row
}

/** Decodes a bare variant (type byte + payload), as used by filters and search terms. */
export function readVariant(bytes: Uint8Array): Value {
  const cur = new Cursor(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  const { value } = readTyped(cur, cur.u8(), 0)
  if (value.kind === 'INF_MIN' || value.kind === 'INF_MAX' || value.kind === 'AUTO_INCREMENT')
    throw invalidParameter(`Invalid value: ${value.kind} is not allowed here.`)
  if (!cur.atEnd && !cur.onlyPaddingLeft())
    throw invalidParameter('Invalid value: trailing bytes after the variant.')
  return value
}
