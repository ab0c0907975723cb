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
import { restoreArrays } from './array-refs.ts'
import { removeTemporary, snapshotsIn } from './directory.ts'
import {
  type ColumnChunk,
  type DocumentMakers,
  decodeChunk,
  type SharedLists,
  sharedStrings,
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

export type SnapshotRead =
  | { ok: true; marker: SnapshotMarker; indexes: Record<string, DocIndexSnapshot>; bytes: number }
  | { ok: false; reason: string }

const metaSchema = z.object({
  indexes: z.record(
    z.string(),
    z.object({
      state: z.record(z.string(), z.unknown()),
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

/**
 * The keyword values and recipient ids of `state` (not its fuzzy values) replaced in place by
 * equal ones an index read before holds (`strings` numbers them, `kept` holds them by number;
 * both filled as it goes): a contact's name forms are its user's, and a message's sender and
 * recipients a contact's user, each decoded anew per index. At 200k bench messages, 5.0 MB of 91 in the heap. Returns each
 * {@link sharedStrings} entry's number (equal strings, equal numbers, in every index of the
 * load), by which equal lists of them are shared across indexes too.
 */
function shareAcrossIndexes(
  state: Omit<DocIndexSnapshot, 'documents'>,
  strings: Map<string, number>,
  kept: string[],
): Int32Array {
  const indexes = [...Object.values(state.keyword), ...Object.values(state.fuzzy)]
  // In sharedStrings' order, which numbers are given for.
  const tabled = [state.values, ...indexes.map((index) => index.values)]
  const members = Object.values(state.recipientSets).map((sets) => sets.ids)
  const ordinals = new Int32Array(tabled.reduce((sum, values) => sum + values.length, 0))
  // A fuzzy index's values keep their own strings: its substring scans read them in order, and
  // strings made by another index lie scattered (at 200k bench messages a contact name search
  // took 40% more CPU on its user's strings).
  const scanned = new Set(Object.values(state.fuzzy).map((index) => index.values))
  let at = 0
  for (const [i, values] of [...tabled, ...members].entries()) {
    const own = scanned.has(values)
    for (let j = 0; j < values.length; j++) {
      const value = values[j] as string
      let number = strings.get(value)
      if (number === undefined) {
        number = kept.length
        strings.set(value, number)
        kept.push(value)
      } else if (!own) values[j] = kept[number] as string
      if (i < tabled.length) ordinals[at++] = number
    }
  }
  return ordinals
}

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
    const indexes: Record<string, DocIndexSnapshot> = {}
    const strings = new Map<string, number>()
    const kept: string[] = []
    // Across indexes: a contact's name lists are its user's.
    const lists: SharedLists = new Map()
    for (const name of names) {
      const saved = meta.indexes[name]
      if (!saved) return fail(`it holds no index ${name}`)
      const state = restoreArrays(saved.state, arrays) as Omit<DocIndexSnapshot, 'documents'>
      const ordinals = shareAcrossIndexes(state, strings, kept)
      const documents: (object | undefined)[] = []
      const table = sharedStrings(state)
      if (table.length !== ordinals.length) throw new Error('shared strings numbered apart from their table')
      const makers: DocumentMakers = new Map()
      const values = new SharedValues()
      for (const chunk of saved.documents)
        decodeChunk(
          restoreArrays(chunk, columns) as ColumnChunk,
          table,
          documents,
          makers,
          lists,
          values,
          ordinals,
        )
      indexes[name] = { ...state, documents }
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
