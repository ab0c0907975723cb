/**
 * @module Every table, secondary index and search index the adapter uses, after the seeds'
 * design (`im_timeline_store_table`, `im_user_table`, `im_timeline_meta_table`,
 * `im_group_relation_table` with its user-first global index, `im_user_relation_table`), plus the
 * message-id table for idempotent ingestion, recipient sets, index generations, reindex jobs,
 * and one document table per search index. Pure data: `setup.ts` turns it into calls.
 */
import { type FieldSchema, INDEX_SCHEMAS, type IndexName } from '../../src/query/index-schemas.ts'
import { definitionDigest } from './field-definitions.ts'
import {
  isRecipientField,
  KIND_COLUMN,
  RECIPIENT_SET_COLUMN,
  SCORE_COLUMN,
  TOKEN_COLUMNS,
  WRITE_COLUMN,
} from './index-fields.ts'
import { DefinedColumnType, FieldType } from './sdk-constants.ts'

export interface PrimaryKeySpec {
  name: string
  type: 'STRING' | 'INTEGER'
  autoIncrement?: boolean
}

export interface SecondaryIndexSpec {
  name: string
  primaryKey: string[]
  definedColumns: string[]
}

/** A search-index field in the SDK's `fieldSchemas` shape. */
export interface SearchFieldSchema {
  fieldName: string
  fieldType: number
  isAnArray?: boolean
  enableSortAndAgg?: boolean
  store?: boolean
  index?: boolean
  analyzer?: 'split' | 'fuzzy'
  enableHighlighting?: boolean
  analyzerParameter?: { delimiter: string } | { minChars: number; maxChars: number }
  fieldSchemas?: SearchFieldSchema[]
}

export interface TableSpec {
  name: string
  primaryKey: PrimaryKeySpec[]
  definedColumns?: { name: string; type: number }[]
  secondaryIndexes?: SecondaryIndexSpec[]
  searchIndex?: { name: string; fieldSchemas: SearchFieldSchema[] }
}

/** The table names under a prefix. */
export function tableNames(prefix: string) {
  return {
    /** Messages by conversation and an auto-increment sequence id (the seeds' store table). */
    message: `${prefix}message`,
    /** Message id → conversation and sequence id: makes ingestion idempotent. */
    messageId: `${prefix}message_id`,
    user: `${prefix}user`,
    /** Groups: the seeds' timeline meta table. */
    group: `${prefix}group`,
    groupMember: `${prefix}group_member`,
    groupMemberByUser: `${prefix}group_member_by_user`,
    /** Two mirrored rows per friendship. */
    friend: `${prefix}friend`,
    /** One row per search index: its live generation and the state of its latest rebuild. */
    reindexJob: `${prefix}reindex_job`,
    /** One row per admin reindex job (state, progress, heartbeat), shared by every replica. */
    reindexJobs: `${prefix}reindex_jobs`,
    recipientSet: `${prefix}recipient_set`,
    recipientSetMember: `${prefix}recipient_set_member`,
    /** One document table per search index, keyed by the index's id field. */
    docs: {
      messages: `${prefix}message_doc`,
      users: `${prefix}user_doc`,
      groups: `${prefix}group_doc`,
      contacts: `${prefix}contact_doc`,
    } satisfies Record<IndexName, string>,
  }
}
export type TableNames = ReturnType<typeof tableNames>

/** Primary key of each document table: the index's id field. */
export const DOC_KEYS: Record<IndexName, string> = {
  messages: 'messageId',
  users: 'userId',
  groups: 'groupId',
  contacts: 'contactKey',
}

/**
 * The search index a document table is read through: named after the digest of its definition
 * (`field-definitions.ts`), so that a changed definition is a new index, built beside the old one
 * (see `setup.ts`), never a change under running code.
 */
export function searchIndexName(table: string, index: IndexName): string {
  let digest = DIGESTS.get(index)
  if (digest === undefined) {
    digest = definitionDigest(searchFields(index))
    DIGESTS.set(index, digest)
  }
  return `${table}_${digest}`
}
const DIGESTS = new Map<IndexName, string>()

/** The document table of a generation of an index (generation 1 has the plain name). */
export function docTable(prefix: string, index: IndexName, generation: number): string {
  const base = tableNames(prefix).docs[index]
  return generation <= 1 ? base : `${base}_g${generation}`
}

/** The generation of `index` whose document table `table` is, or undefined for another table. */
export function generationOf(prefix: string, index: IndexName, table: string): number | undefined {
  const base = tableNames(prefix).docs[index]
  if (table === base) return 1
  const match = table.startsWith(`${base}_g`) ? /^\d+$/.exec(table.slice(base.length + 2)) : null
  return match ? Number(match[0]) : undefined
}

/** The document table (and its search index) of one generation. */
export function docTableSpec(prefix: string, index: IndexName, generation: number): TableSpec {
  const name = docTable(prefix, index, generation)
  return {
    name,
    primaryKey: [str(DOC_KEYS[index])],
    searchIndex: { name: searchIndexName(name, index), fieldSchemas: searchFields(index) },
  }
}

const str = (name: string): PrimaryKeySpec => ({ name, type: 'STRING' })

/** The record store's tables. */
export function recordTables(prefix: string): TableSpec[] {
  const t = tableNames(prefix)
  return [
    {
      name: t.message,
      primaryKey: [str('timeline_id'), { name: 'sequence_id', type: 'INTEGER', autoIncrement: true }],
    },
    { name: t.messageId, primaryKey: [str('message_id')] },
    { name: t.user, primaryKey: [str('user_id')] },
    { name: t.group, primaryKey: [str('group_id')] },
    {
      name: t.groupMember,
      primaryKey: [str('group_id'), str('user_id')],
      definedColumns: [{ name: 'joined_at', type: DefinedColumnType.DCT_INTEGER }],
      secondaryIndexes: [
        { name: t.groupMemberByUser, primaryKey: ['user_id', 'group_id'], definedColumns: ['joined_at'] },
      ],
    },
    { name: t.friend, primaryKey: [str('main_user'), str('sub_user')] },
  ]
}

/** The reindex job store's table. */
export function jobTables(prefix: string): TableSpec[] {
  return [{ name: tableNames(prefix).reindexJobs, primaryKey: [str('job_id')] }]
}

/** The search backend's tables: recipient sets and the four document tables with their indexes. */
export function searchTables(prefix: string): TableSpec[] {
  const t = tableNames(prefix)
  const docTables = (Object.keys(t.docs) as IndexName[]).map((index) => docTableSpec(prefix, index, 1))
  return [
    { name: t.reindexJob, primaryKey: [str('index_name')] },
    { name: t.recipientSet, primaryKey: [str('set_id')] },
    { name: t.recipientSetMember, primaryKey: [str('user_id'), str('set_id')] },
    ...docTables,
  ]
}

/** The search index fields of one index, from its DSL schema (`src/query/index-schemas.ts`). */
export function searchFields(index: IndexName): SearchFieldSchema[] {
  const fields = Object.entries(INDEX_SCHEMAS[index] as Record<string, FieldSchema>).map(([name, schema]) =>
    isRecipientField(index, name) ? keyword(RECIPIENT_SET_COLUMN) : field(name, schema),
  )
  return [
    ...fields,
    keyword(KIND_COLUMN),
    keyword(WRITE_COLUMN),
    { fieldName: SCORE_COLUMN, fieldType: FieldType.TEXT, index: true, enableHighlighting: true },
  ]
}

function keyword(fieldName: string): SearchFieldSchema {
  return { fieldName, fieldType: FieldType.KEYWORD, index: true, enableSortAndAgg: true, store: true }
}

function field(name: string, schema: FieldSchema): SearchFieldSchema {
  const base = { fieldName: name, index: true, store: true }
  switch (schema.type) {
    case 'keyword':
      return schema.array
        ? { ...base, fieldType: FieldType.KEYWORD, isAnArray: true }
        : { ...base, fieldType: FieldType.KEYWORD, enableSortAndAgg: true }
    case 'text':
      // The adapter writes the message analyzer's tokens joined by spaces; `split` takes them apart.
      return {
        ...base,
        fieldName: TOKEN_COLUMNS[name] ?? name,
        fieldType: FieldType.TEXT,
        analyzer: 'split',
        analyzerParameter: { delimiter: ' ' },
      }
    case 'fuzzy':
      return {
        ...base,
        fieldType: FieldType.TEXT,
        analyzer: 'fuzzy',
        analyzerParameter: { minChars: 1, maxChars: 7 },
      }
    case 'long':
      return { ...base, fieldType: FieldType.LONG, enableSortAndAgg: true }
    case 'double':
      return { ...base, fieldType: FieldType.DOUBLE, enableSortAndAgg: true }
    case 'boolean':
      return { ...base, fieldType: FieldType.BOOLEAN, enableSortAndAgg: true }
    case 'geo_point':
      return { ...base, fieldType: FieldType.GEO_POINT, enableSortAndAgg: true }
    case 'nested':
      return {
        fieldName: name,
        fieldType: FieldType.NESTED,
        index: true,
        fieldSchemas: Object.entries(schema.fields ?? {}).map(([sub, s]) => field(sub, s)),
      }
  }
}
