/**
 * @module Writes captured indexes as a new whole snapshot: every part into a temporary directory,
 * fsynced, the manifest last, then the directory renamed into place and its parent fsynced; the
 * older snapshots are removed only after that. A crash at any point leaves the previous snapshot
 * or the new one, and at most a temporary directory the next save or load removes.
 */
import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { SnapshotMarker } from '../../../src/ports/index-snapshots.ts'
import type { DocIndexSnapshot } from '../doc-index.ts'
import { ArrayLayout, paddingOf } from './array-refs.ts'
import { removeTemporary, snapshotsIn } from './directory.ts'
import { DOCUMENTS_PER_CHUNK, encodeChunk } from './document-columns.ts'
import {
  FORMAT_VERSION,
  MANIFEST_FILE,
  type Manifest,
  type PartEntry,
  type PartFile,
  schemaDigest,
  snapshotDirName,
  TEMP_PREFIX,
} from './format.ts'
import { snapshotPackr } from './msgpack.ts'
import { PartWriter, syncDirectory } from './part-file.ts'
import { type SavedTable, StringNumbering } from './string-table.ts'

/**
 * What `meta.msgpack` holds per index: its structure (typed arrays as references into
 * `arrays.bin`), its string lists as numbers into the snapshot's string table and its documents'
 * column chunks (typed arrays in both as references into `documents.bin`).
 */
export interface SavedIndexMeta {
  state: unknown
  lists: unknown
  documents: unknown[]
}

/** What `meta.msgpack` holds: the string table and the indexes, in the order they were numbered. */
export interface SavedMeta {
  table: SavedTable
  indexes: Record<string, SavedIndexMeta>
}

/**
 * Writes `indexes` (captured, see `DocIndex.toSnapshot`) as the newest snapshot in `dir`.
 * @returns the snapshot's bytes, manifest included.
 */
export async function writeSnapshot(
  dir: string,
  indexes: Record<string, DocIndexSnapshot>,
  marker: SnapshotMarker,
): Promise<number> {
  await mkdir(dir, { recursive: true })
  await removeTemporary(dir)
  const temp = join(dir, `${TEMP_PREFIX}${randomUUID()}`)
  await mkdir(temp)
  try {
    const parts = await writeParts(temp, indexes)
    const manifest: Manifest = {
      format: FORMAT_VERSION,
      schemaDigest: schemaDigest(),
      marker: { storeId: marker.storeId, covered: marker.covered },
      createdAt: new Date().toISOString(),
      parts,
    }
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`
    const manifestPart = await PartWriter.create(join(temp, MANIFEST_FILE))
    await manifestPart.write(Buffer.from(manifestText))
    await manifestPart.finish()
    await syncDirectory(temp)
    const older = await snapshotsIn(dir)
    const target = join(dir, snapshotDirName((older[older.length - 1]?.sequence ?? 0) + 1))
    await rename(temp, target)
    await syncDirectory(dir)
    for (const { name } of older) await rm(join(dir, name), { recursive: true, force: true })
    return Object.values(parts).reduce((sum, part) => sum + part.bytes, Buffer.byteLength(manifestText))
  } catch (error) {
    await rm(temp, { recursive: true, force: true })
    throw error
  }
}

/** A part of raw typed arrays: each structure added is written at once, its arrays as references. */
class ArraysPart {
  readonly #layout = new ArrayLayout()
  readonly #file: PartWriter

  private constructor(file: PartWriter) {
    this.#file = file
  }

  static async create(path: string): Promise<ArraysPart> {
    return new ArraysPart(await PartWriter.create(path))
  }

  /** `value` with its typed arrays as references into this part, once their bytes are written. */
  async add(value: unknown): Promise<unknown> {
    const extracted = this.#layout.extract(value)
    for (const array of this.#layout.take()) {
      await this.#file.write(new Uint8Array(array.buffer, array.byteOffset, array.byteLength))
      const padding = paddingOf(array)
      if (padding.byteLength > 0) await this.#file.write(padding)
    }
    return extracted
  }

  finish(): Promise<PartEntry> {
    return this.#file.finish()
  }

  abandon(): Promise<void> {
    return this.#file.abandon()
  }
}

/**
 * The parts: the field indexes' arrays in `arrays.bin` (a loaded index keeps views of them) and
 * the numbered string lists and document columns in `documents.bin` (dropped once the indexes are
 * built), the rest in `meta.msgpack`.
 */
async function writeParts(
  temp: string,
  indexes: Record<string, DocIndexSnapshot>,
): Promise<Record<PartFile, PartEntry>> {
  const meta: Record<string, SavedIndexMeta> = {}
  const strings = new StringNumbering()
  const packr = snapshotPackr()
  const arrays = await ArraysPart.create(join(temp, 'arrays.bin'))
  const columns = await ArraysPart.create(join(temp, 'documents.bin'))
  try {
    for (const [name, { documents, ...state }] of Object.entries(indexes)) {
      const { lists, rest } = strings.take(state)
      const saved: SavedIndexMeta = {
        state: await arrays.add(rest),
        lists: await columns.add(lists),
        documents: [],
      }
      meta[name] = saved
      const restored = new Set(state.restoredFields)
      // A chunk at a time, written before the next is encoded: the event loop is held a few
      // milliseconds at a time, and only one chunk's columns are in memory.
      for (let from = 0; from < documents.length; from += DOCUMENTS_PER_CHUNK)
        saved.documents.push(
          await columns.add(encodeChunk(documents, from, restored, strings.numbers, packr)),
        )
    }
  } catch (error) {
    await arrays.abandon()
    await columns.abandon()
    throw error
  }
  const arraysEntry = await arrays.finish()
  const columnsEntry = await columns.finish()

  const metaPart = await PartWriter.create(join(temp, 'meta.msgpack'))
  try {
    const whole: SavedMeta = { table: strings.table(), indexes: meta }
    await metaPart.write(packr.pack(whole))
  } catch (error) {
    await metaPart.abandon()
    throw error
  }
  const metaEntry = await metaPart.finish()
  return { 'arrays.bin': arraysEntry, 'documents.bin': columnsEntry, 'meta.msgpack': metaEntry }
}
