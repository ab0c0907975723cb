/**
 * @module PlainBuffer encoder for rows the emulator returns.
 *
 * Output follows what the SDK's reader (`PlainBufferCodedInputStream.readRow`) expects: header,
 * PK cells, data cells with optional timestamps, and CRC-8 checksums on every cell and row.
 */
import type { Value, WirePkValue } from '../model/values.ts'
import * as C from './constants.ts'
import { crcByte, crcBytes, crcInt32 } from './crc8.ts'

/** A row to encode: primary key plus attribute cells in the order given. */
export interface OutRow {
  readonly primaryKey: readonly { readonly name: string; readonly value: WirePkValue }[]
  readonly attributes: readonly {
    readonly name: string
    readonly value: Value
    readonly timestamp?: number
  }[]
}

class Sink {
  readonly parts: Buffer[] = []
  byte(b: number): void {
    this.parts.push(Buffer.of(b & 0xff))
  }
  i32(n: number): void {
    const b = Buffer.alloc(4)
    b.writeInt32LE(n)
    this.parts.push(b)
  }
  raw(b: Buffer): void {
    this.parts.push(b)
  }
  done(): Buffer {
    return Buffer.concat(this.parts)
  }
}

/** Writes TAG_CELL_VALUE + length + typed payload; returns the updated cell checksum. */
function writeValue(out: Sink, value: Value | WirePkValue, crc: number): number {
  out.byte(C.TAG_CELL_VALUE)
  switch (value.kind) {
    case 'INTEGER': {
      const b = Buffer.alloc(8)
      b.writeBigInt64LE(BigInt.asIntN(64, value.value))
      out.i32(9)
      out.byte(C.VT_INTEGER)
      out.raw(b)
      return crcBytes(crcByte(crc, C.VT_INTEGER), b)
    }
    case 'DOUBLE': {
      const b = Buffer.alloc(8)
      b.writeDoubleLE(value.value)
      out.i32(9)
      out.byte(C.VT_DOUBLE)
      out.raw(b)
      return crcBytes(crcByte(crc, C.VT_DOUBLE), b)
    }
    case 'BOOLEAN': {
      out.i32(2)
      out.byte(C.VT_BOOLEAN)
      out.byte(value.value ? 1 : 0)
      return crcByte(crcByte(crc, C.VT_BOOLEAN), value.value ? 1 : 0)
    }
    case 'STRING':
    case 'BINARY': {
      const b = value.kind === 'STRING' ? Buffer.from(value.value, 'utf8') : value.value
      const type = value.kind === 'STRING' ? C.VT_STRING : C.VT_BLOB
      out.i32(1 + 4 + b.length)
      out.byte(type)
      out.i32(b.length)
      out.raw(b)
      return crcBytes(crcInt32(crcByte(crc, type), b.length), b)
    }
    case 'INF_MIN':
    case 'INF_MAX':
    case 'AUTO_INCREMENT': {
      const type =
        value.kind === 'INF_MIN'
          ? C.VT_INF_MIN
          : value.kind === 'INF_MAX'
            ? C.VT_INF_MAX
            : C.VT_AUTO_INCREMENT
      out.i32(1)
      out.byte(type)
      return crcByte(crc, type)
    }
  }
}

function writeName(out: Sink, name: string): number {
  const b = Buffer.from(name, 'utf8')
  out.byte(C.TAG_CELL_NAME)
  out.i32(b.length)
  out.raw(b)
  return crcBytes(0, b)
}

function writeRowBody(out: Sink, row: OutRow): void {
  let rowCrc = 0
  out.byte(C.TAG_ROW_PK)
  for (const pk of row.primaryKey) {
    out.byte(C.TAG_CELL)
    const crc = writeValue(out, pk.value, writeName(out, pk.name))
    out.byte(C.TAG_CELL_CHECKSUM)
    out.byte(crc)
    rowCrc = crcByte(rowCrc, crc)
  }
  if (row.attributes.length > 0) {
    out.byte(C.TAG_ROW_DATA)
    for (const cell of row.attributes) {
      out.byte(C.TAG_CELL)
      let crc = writeValue(out, cell.value, writeName(out, cell.name))
      if (cell.timestamp !== undefined) {
        const ts = Buffer.alloc(8)
        ts.writeBigInt64LE(BigInt(cell.timestamp))
        out.byte(C.TAG_CELL_TIMESTAMP)
        out.raw(ts)
        crc = crcBytes(crc, ts)
      }
      out.byte(C.TAG_CELL_CHECKSUM)
      out.byte(crc)
      rowCrc = crcByte(rowCrc, crc)
    }
  }
  rowCrc = crcByte(rowCrc, 0)
  out.byte(C.TAG_ROW_CHECKSUM)
  out.byte(rowCrc)
}

function header(out: Sink): void {
  out.i32(C.HEADER)
}

/** Encodes one row with its own header (GetRow, PutRow return rows, Search and ParallelScan rows). */
export function writeRow(row: OutRow): Buffer {
  const out = new Sink()
  header(out)
  writeRowBody(out, row)
  return out.done()
}

/** Encodes rows after a single header (GetRange `rows`). Empty input gives an empty buffer. */
export function writeRows(rows: readonly OutRow[]): Buffer {
  if (rows.length === 0) return Buffer.alloc(0)
  const out = new Sink()
  header(out)
  for (const row of rows) writeRowBody(out, row)
  return out.done()
}

/** Encodes a bare variant (type byte + payload), as search values and histogram keys travel. */
export function writeVariant(value: Value): Buffer {
  const out = new Sink()
  writeValue(out, value, 0)
  // writeValue starts with TAG_CELL_VALUE and the payload length (1 + 4 bytes): a variant has neither.
  return out.done().subarray(5)
}
