/**
 * @module The on-disk form of an embedded-engine index snapshot: a directory per snapshot, its
 * parts, and the manifest that names them with their sizes and checksums. A snapshot is whole
 * when its manifest is there and every part matches it; the directory is renamed into place
 * only once all of it is written and fsynced.
 *
 * ```
 * <snapshotDir>/snapshot-000000000007/
 *   manifest.json      format, schema digest, marker, each part's bytes and crc32
 *   meta.msgpack       the string table (`string-table.ts`); per index: field-index structure,
 *                      document column chunks, typed arrays as references into the two parts below
 *   arrays.bin         the field indexes' typed arrays, raw, 8-byte aligned (postings, token
 *                      sequences): a loaded index keeps views of them
 *   documents.bin      the indexes' string lists as numbers into the table and the stored
 *                      documents' column arrays (`document-columns.ts`), dropped once the
 *                      indexes are built
 * <snapshotDir>/.tmp-…/ a snapshot being written (a leftover is a crash's: removed)
 * ```
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { ID_FIELDS, INDEX_NAMES, INDEX_SCHEMAS, recipientField } from '../../../src/query/index-schemas.ts'
import { fieldTokens } from '../../../src/text/field-tokens.ts'
import { nameForms } from '../../../src/text/name-forms.ts'

/**
 * The layout of the parts. Bump it when a field index's saved form or the stored documents'
 * encoding changes: a snapshot of another version is not loaded (the index is rebuilt). 5 to 7
 * stored documents without their empty fields, which slowed every search's hits (reverted); 9
 * holds one string table for all the indexes, where 8 saved each index's strings; 10 saves the
 * facet and grouping columns (`doc-columns.ts`), which 9 made again on first use; 11 drops each
 * index's list of shared values, which repeated its keyword fields' values (the documents now
 * share the keyword index's strings); 12 leaves out of the stored documents the fields their index
 * holds by number (`stored-documents.ts`: the keyword fields of its columns), so a change to which
 * fields those are (the backend's `COLUMNS`) needs a new version too.
 */
export const FORMAT_VERSION = 12

/** The parts, in the order they are written; the manifest lists them all. */
export const PART_FILES = ['arrays.bin', 'documents.bin', 'meta.msgpack'] as const
export type PartFile = (typeof PART_FILES)[number]
export const MANIFEST_FILE = 'manifest.json'

export const SNAPSHOT_PREFIX = 'snapshot-'
export const TEMP_PREFIX = '.tmp-'

/** `snapshot-<number>`: the highest number is the newest. */
export function snapshotDirName(sequence: number): string {
  return `${SNAPSHOT_PREFIX}${String(sequence).padStart(12, '0')}`
}

export function snapshotSequence(name: string): number | undefined {
  const match = /^snapshot-(\d{12})$/.exec(name)
  return match ? Number(match[1]) : undefined
}

/**
 * Text whose tokens and name forms a snapshot depends on: an analyzer that splits it otherwise
 * would leave saved token numbers that queries no longer find, so its output enters the digest.
 */
const ANALYZER_SAMPLE = '上海测试 JWT ＰＤＦ, api-42 カタの한국 🙂 x1。解析 https://example.com/a?b=1'
const NAME_SAMPLE = ['张伟', 'William Li', '单田芳', 'Anna Lee']

/**
 * What the saved indexes were built with: the index schemas (fields, types, id and recipient
 * fields), the format version and the analyzer's output on a sample. A snapshot with another
 * digest was built by another build of the service and is not loaded.
 */
export function schemaDigest(): string {
  digest ??= computeDigest()
  return digest
}

/** Constant for a build: computed once (the analyzer's first use loads its dictionaries). */
let digest: string | undefined

function computeDigest(): string {
  const layout = {
    format: FORMAT_VERSION,
    schemas: INDEX_SCHEMAS,
    ids: ID_FIELDS,
    recipients: INDEX_NAMES.map((index) => recipientField(index) ?? null),
    tokens: fieldTokens(ANALYZER_SAMPLE),
    names: NAME_SAMPLE.map((name) => nameForms(name)),
  }
  return createHash('sha256').update(JSON.stringify(layout)).digest('hex')
}

const partSchema = z.object({ bytes: z.number().int().nonnegative(), crc32: z.number().int().nonnegative() })

export const manifestSchema = z.object({
  format: z.number().int(),
  schemaDigest: z.string(),
  marker: z.object({ storeId: z.string(), covered: z.number() }),
  createdAt: z.string(),
  parts: z.record(z.string(), partSchema),
})
export type Manifest = z.infer<typeof manifestSchema>
export type PartEntry = z.infer<typeof partSchema>
