/**
 * @module The fields of each search index and their types: what a query may name, and what every
 * adapter maps to its own schema (Tablestore field schemas, the embedded engine's field indexes).
 */

/**
 * - `keyword`: exact values (term, terms, prefix); `array` holds several.
 * - `text`: the message analyzer (see `text/analyzer.ts`); match and match_phrase. With `array`,
 *   a list of texts, a phrase matching within one of them (`text/field-tokens.ts`).
 * - `fuzzy`: match_phrase means "substring of the value" (Tablestore's fuzzy analyzer).
 * - `long`, `double`, `boolean`: term, terms, range; sortable.
 * - `geo_point`: geo queries and distance sort.
 * - `nested`: an array of objects with their own `fields`, queried with `nested`.
 */
export type FieldType = 'keyword' | 'text' | 'fuzzy' | 'long' | 'double' | 'boolean' | 'geo_point' | 'nested'

export interface FieldSchema {
  type: FieldType
  array?: boolean
  /**
   * The users allowed to see the document (an array keyword): the field the service's permission
   * filter names. Many documents share one list, so a backend may store it by list rather than by
   * value (the embedded engine's recipient-set index, Tablestore's recipient sets).
   */
  recipients?: boolean
  /** Sub-fields of a `nested` field, named without the path prefix. */
  fields?: Record<string, FieldSchema>
}

export type IndexSchema = Record<string, FieldSchema>

const nameFields = {
  name: { type: 'keyword' },
  nameNormalized: { type: 'keyword' },
  nameCompact: { type: 'fuzzy' },
  nameWords: { type: 'keyword', array: true },
  nameDeletes: { type: 'keyword', array: true },
  namePinyin: { type: 'keyword', array: true },
} as const satisfies IndexSchema

/** The same forms for a contact's nickname: contacts are found by name or by nickname alike. */
const nicknameFields = {
  nickname: { type: 'keyword' },
  nicknameNormalized: { type: 'keyword' },
  nicknameCompact: { type: 'fuzzy' },
  nicknameWords: { type: 'keyword', array: true },
  nicknameDeletes: { type: 'keyword', array: true },
  nicknamePinyin: { type: 'keyword', array: true },
} as const satisfies IndexSchema

const tagsField = {
  type: 'nested',
  fields: { name: { type: 'keyword' }, weight: { type: 'double' } },
} as const satisfies FieldSchema

export const INDEX_SCHEMAS = {
  messages: {
    messageId: { type: 'keyword' },
    conversationId: { type: 'keyword' },
    sequenceId: { type: 'long' },
    senderId: { type: 'keyword' },
    type: { type: 'keyword' },
    content: { type: 'text' },
    sentAt: { type: 'long' },
    conversationType: { type: 'keyword' },
    recipients: { type: 'keyword', array: true, recipients: true },
    mentions: { type: 'keyword', array: true },
    mentionAll: { type: 'boolean' },
    attachments: {
      type: 'nested',
      fields: { name: { type: 'keyword' }, kind: { type: 'keyword' }, size: { type: 'long' } },
    },
    /** A phrase matches within one name (`text/field-tokens.ts`). */
    attachmentNames: { type: 'text', array: true },
    hasLink: { type: 'boolean' },
  },
  users: {
    userId: { type: 'keyword' },
    ...nameFields,
    tags: tagsField,
    location: { type: 'geo_point' },
    discoverable: { type: 'boolean' },
  },
  groups: {
    groupId: { type: 'keyword' },
    ...nameFields,
    description: { type: 'text' },
    tags: tagsField,
    location: { type: 'geo_point' },
    visibility: { type: 'keyword' },
    ownerId: { type: 'keyword' },
    memberCount: { type: 'long' },
    createdAt: { type: 'long' },
  },
  /** The seeds' friendship table, one document per mirrored row, for the caller's contact list. */
  contacts: {
    contactKey: { type: 'keyword' },
    userId: { type: 'keyword' },
    contactId: { type: 'keyword' },
    ...nameFields,
    ...nicknameFields,
    /** The nickname if set, else the name, normalised: the order of `sort=name`. */
    sortName: { type: 'keyword' },
    addedAt: { type: 'long' },
  },
} as const satisfies Record<string, IndexSchema>

export type IndexName = keyof typeof INDEX_SCHEMAS
export const INDEX_NAMES = Object.keys(INDEX_SCHEMAS) as IndexName[]

/** The id field of each index: the document key for index, delete and tie-breaks. */
export const ID_FIELDS = {
  messages: 'messageId',
  users: 'userId',
  groups: 'groupId',
  contacts: 'contactKey',
} as const satisfies Record<IndexName, string>

/** The index's recipient field (see {@link FieldSchema.recipients}), if it has one. */
export function recipientField(index: IndexName): string | undefined {
  const schema: IndexSchema = INDEX_SCHEMAS[index]
  return Object.keys(schema).find((field) => schema[field]?.recipients === true)
}

/** Resolve `a` or `path.sub` to its schema, or undefined when the index has no such field. */
export function fieldSchema(index: IndexName, field: string): FieldSchema | undefined {
  const schema: IndexSchema = INDEX_SCHEMAS[index]
  const direct = schema[field]
  if (direct) return direct
  const dot = field.indexOf('.')
  if (dot < 0) return undefined
  return schema[field.slice(0, dot)]?.fields?.[field.slice(dot + 1)]
}
