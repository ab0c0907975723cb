/**
 * @module CRC-8 (polynomial 0x07, initial 0) used for PlainBuffer cell and row checksums.
 */

const TABLE = (() => {
  const table = new Uint8Array(256)
  for (let i = 0; i < 256; i++) {
    let crc = i
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff
    table[i] = crc
  }
  return table
})()

/** Folds one byte into the checksum. */
export function crcByte(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff] ?? 0
}

/** Folds a byte sequence into the checksum. */
export function crcBytes(crc: number, bytes: Uint8Array): number {
  let out = crc
  for (const byte of bytes) out = crcByte(out, byte)
  return out
}

/** Folds a little-endian int32 into the checksum, as the SDK does for string and blob lengths. */
export function crcInt32(crc: number, value: number): number {
  let out = crc
  for (let i = 0; i < 4; i++) out = crcByte(out, (value >> (i * 8)) & 0xff)
  return out
}
