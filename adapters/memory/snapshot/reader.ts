/**
 * @module Reads the newest snapshot back into `DocIndex` snapshots, or says why it cannot: no
 * snapshot, no manifest (never completed), another format or schema, a part missing, torn or
 * corrupt, or contents that do not decode. Nothing is returned unless all of it read.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { SnapshotMarker } from '../../../src/ports/index-snapshots.ts'
import type { DocIndexSnapshot } from '../doc-index.ts'
import { StoredDocuments } from '../stored-documents.ts'
import { restoreArrays } from './array-refs.ts'
import { removeTemporary, snapshotsIn } from './directory.ts'
import {
  type ColumnChunk,
  DOCUMENTS_PER_CHUNK,
  type DocumentMakers,
  decodeChunk,
  type SharedLists,
} from './document-columns.ts'
import {
  FORMAT_VERSION,
  MANIFEST_FILE,
  type Manifest,
  manifestSchema,
  PART_FILES,
  type PartEntry,
  schemaDigest,
} from './format.ts'
import { unpackSnapshotPart } from './msgpack.ts'
import { readPart } from './part-file.ts'
import { SharedValues } from './shared-values.ts'
import { type NumberedLists, numbersOf, readTable, restoreLists } from './string-table.ts'

export type SnapshotRead =
  | { ok: true; marker: SnapshotMarker; indexes: Record<string, DocIndexSnapshot>; bytes: number }
  | { ok: false; reason: string }

const metaSchema = z.object({
  // The strings are checked as the table is made (a schema would walk hundreds of thousands).
  table: z.object({ size: z.number().int().nonnegative(), strings: z.custom<unknown[]>(Array.isArray) }),
  indexes: z.record(
    z.string(),
    z.object({
      state: z.record(z.string(), z.unknown()),
      lists: z.record(z.string(), z.unknown()),
      documents: z.array(
        z.object({
          shapes: z.array(z.array(z.string())),
          columns: z.array(z.array(z.object({ kind: z.string() }).loose())),
          shapeOf: z.unknown(),
        }),
      ),
    }),
  ),
})

/** The newest snapshot in `dir` with the indexes `names`; a crashed save's leftovers are removed first. */
export async function readSnapshot(
  dir: string,
  names: readonly string[],
  /** Judges the marker before any part is read (`IndexSnapshots.load`). */
  accept?: (marker: SnapshotMarker) => string | undefined,
): Promise<SnapshotRead> {
  let snapshots: Awaited<ReturnType<typeof snapshotsIn>>
  try {
    await removeTemporary(dir)
    snapshots = await snapshotsIn(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { ok: false, reason: `no index snapshot yet (${dir} does not exist)` }
    return { ok: false, reason: `the snapshot directory ${dir} cannot be read (${code ?? error})` }
  }
  const newest = snapshots[snapshots.length - 1]
  if (!newest) return { ok: false, reason: `no index snapshot yet in ${dir}` }
  const path = join(dir, newest.name)
  const fail = (why: string) => ({ ok: false as const, reason: `index snapshot ${path}: ${why}` })

  const manifest = await readManifest(join(path, MANIFEST_FILE))
  if ('reason' in manifest) return fail(manifest.reason)
  if (manifest.format !== FORMAT_VERSION)
    return fail(`written in format version ${manifest.format}, this build reads version ${FORMAT_VERSION}`)
  if (manifest.schemaDigest !== schemaDigest())
    return fail('built with other index schemas or another analyzer than this build (schema digest differs)')
  const refused = accept?.(manifest.marker)
  if (refused) return fail(`refused: ${refused}`)

  const missing = PART_FILES.find((name) => !manifest.parts[name])
  if (missing) return fail(`the manifest lists no part ${missing}`)
  // Read side by side: one part's checksum runs while the others are read.
  const read = await Promise.all(
    PART_FILES.map((name) => readPart(join(path, name), name, manifest.parts[name] as PartEntry)),
  )
  const parts: Record<string, Uint8Array> = {}
  let bytes = 0
  for (const [i, part] of read.entries()) {
    if ('reason' in part) return fail(part.reason)
    parts[PART_FILES[i] as string] = part.bytes
    bytes += part.bytes.byteLength
  }

  try {
    const meta = metaSchema.parse(unpackSnapshotPart(parts['meta.msgpack'] as Uint8Array))
    const arrays = (parts['arrays.bin'] as Uint8Array).buffer as ArrayBuffer
    const columns = (parts['documents.bin'] as Uint8Array).buffer as ArrayBuffer
    // Every index saved, in the order its strings were numbered: its fuzzy lists fill the table.
    const saved = Object.entries(meta.indexes).map(([name, { state, lists, documents }]) => ({
      name,
      state: restoreArrays(state, arrays) as Omit<DocIndexSnapshot, 'documents'>,
      lists: restoreArrays(lists, columns) as NumberedLists,
      documents,
    }))
    const table = readTable(
      meta.table,
      saved.flatMap(({ state, lists }) =>
        Object.entries(state.fuzzy).map(([field, index]) => ({
          values: index.values,
          numbers: numbersOf(lists.fuzzy, field),
        })),
      ),
    )
    const indexes: Record<string, DocIndexSnapshot> = {}
    // Across indexes: a contact's name lists are its user's.
    const lists: SharedLists = new Map()
    for (const name of names) {
      const index = saved.find((s) => s.name === name)
      if (!index) return fail(`it holds no index ${name}`)
      restoreLists(index.state, index.lists, table)
      const documents = new StoredDocuments()
      // At most a chunk's worth more than it holds (its last chunk may be short).
      documents.reserve(index.documents.length * DOCUMENTS_PER_CHUNK)
      // Packed as they are added: packing a million ids after the load took 0.2 s more of it.
      for (const field of index.state.packedFields ?? []) documents.packStrings(field, 'ascii')
      for (const field of index.state.textFields ?? []) documents.packStrings(field, 'utf8')
      const makers: DocumentMakers = new Map()
      const values = new SharedValues()
      for (const chunk of index.documents)
        decodeChunk(restoreArrays(chunk, columns) as ColumnChunk, table, documents, makers, lists, values)
      indexes[name] = { ...index.state, documents }
    }
    return { ok: true, marker: manifest.marker, indexes, bytes }
  } catch (error) {
    return fail(`its contents do not decode (${(error as Error).message})`)
  }
}

async function readManifest(path: string): Promise<Manifest | { reason: string }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      reason: code === 'ENOENT' ? 'it has no manifest (never completed)' : `manifest unreadable (${code})`,
    }
  }
  try {
    return manifestSchema.parse(JSON.parse(text))
  } catch {
    return { reason: 'its manifest is not a valid manifest (corrupt)' }
  }
}
