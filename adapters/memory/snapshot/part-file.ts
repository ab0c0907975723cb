/**
 * @module A snapshot part on disk: written with its size and crc32 tallied and fsynced before it
 * counts, read back whole into a buffer of its own only when its size and crc32 are the
 * manifest's.
 */
import { type FileHandle, open } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import type { PartEntry } from './format.ts'

/** A part being written: appends, then {@link PartWriter.finish} makes it durable. */
export class PartWriter {
  readonly #file: FileHandle
  #bytes = 0
  #crc = 0

  private constructor(file: FileHandle) {
    this.#file = file
  }

  static async create(path: string): Promise<PartWriter> {
    return new PartWriter(await open(path, 'wx'))
  }

  /** Bytes written so far: where the next write lands. */
  get offset(): number {
    return this.#bytes
  }

  async write(bytes: Uint8Array): Promise<void> {
    // zlib's crc32 of a view over an empty ArrayBuffer (a null data pointer) restarts at 0.
    if (bytes.byteLength === 0) return
    this.#crc = crc32(bytes, this.#crc)
    let done = 0
    // A single write may be short (Linux caps one at about 2 GiB).
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.#file.write(
        bytes,
        done,
        bytes.byteLength - done,
        this.#bytes + done,
      )
      done += bytesWritten
    }
    this.#bytes += bytes.byteLength
  }

  /** Fsyncs and closes the part; its manifest entry. */
  async finish(): Promise<PartEntry> {
    try {
      await this.#file.sync()
    } finally {
      await this.#file.close()
    }
    return { bytes: this.#bytes, crc32: this.#crc }
  }

  /** Closes the part without making it durable (a failed save). */
  async abandon(): Promise<void> {
    await this.#file.close().catch(() => {})
  }
}

/** Fsyncs a directory: a rename or a new file in it is durable once this returns. */
export async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

/**
 * The part's bytes, at offset 0 of an ArrayBuffer of their own (so typed arrays view them
 * aligned), or why they are not the manifest's: missing, of another size, or failing the checksum.
 */
export async function readPart(
  path: string,
  name: string,
  expected: PartEntry,
): Promise<{ bytes: Uint8Array } | { reason: string }> {
  let file: FileHandle
  try {
    file = await open(path, 'r')
  } catch (error) {
    return { reason: `part ${name} cannot be opened (${(error as NodeJS.ErrnoException).code ?? error})` }
  }
  try {
    return await readOpened(file, name, expected)
  } catch (error) {
    return { reason: `part ${name} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})` }
  } finally {
    await file.close()
  }
}

/** {@link readPart} once the part is open. */
async function readOpened(
  file: FileHandle,
  name: string,
  expected: PartEntry,
): Promise<{ bytes: Uint8Array } | { reason: string }> {
  const { size } = await file.stat()
  if (size !== expected.bytes)
    return { reason: `part ${name} is ${size} bytes where the manifest says ${expected.bytes} (torn write)` }
  const bytes = new Uint8Array(new ArrayBuffer(size))
  let done = 0
  while (done < size) {
    const { bytesRead } = await file.read(bytes, done, size - done, done)
    if (bytesRead === 0) return { reason: `part ${name} ended after ${done} of ${size} bytes` }
    done += bytesRead
  }
  if (crc32(bytes) !== expected.crc32) return { reason: `part ${name} fails its checksum (corrupt)` }
  return { bytes }
}
