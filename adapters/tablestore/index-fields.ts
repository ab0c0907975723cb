/**
 * @module How each search index's DSL fields map onto Tablestore columns, and the adapter's own
 * columns. Shared by the query compiler, the document codec and the index schemas, so that the
 * three cannot disagree.
 *
 * DSL field names are used as column names as they are, except:
 * - `text` fields (message `content`, group `description`) are searched through a pre-tokenized
 *   column (`content_tokens`), see the README's "exact matching rule";
 * - message `recipients` are searched through the message's recipient set id (`recipient_set`).
 */
import { type FieldSchema, fieldSchema, type IndexName } from '../../src/query/index-schemas.ts'

/** Every document row holds its index name here: the constant that weighted constant scores match. */
export const KIND_COLUMN = '_doc'
/** The write batch that last wrote the row: how `settle()` sees a write become searchable. */
export const WRITE_COLUMN = '_write'
/** A message's recipient set id (see `recipient-sets.ts`). */
export const RECIPIENT_SET_COLUMN = 'recipient_set'
/** The DSL field that is searched through recipient sets. */
export const RECIPIENTS_FIELD = 'recipients'

/** Pre-tokenized columns of `text` fields. */
export const TOKEN_COLUMNS: Readonly<Record<string, string>> = {
  content: 'content_tokens',
  description: 'description_tokens',
  attachmentNames: 'attachment_names_tokens',
}

/** The column a DSL field is searched on (nested sub-fields keep their `path.sub` name). */
export function searchColumn(field: string): string {
  return TOKEN_COLUMNS[field] ?? field
}

/** The field's DSL schema, or a programmer error: queries reach the adapter validated. */
export function schemaOf(index: IndexName, field: string): FieldSchema {
  const schema = fieldSchema(index, field)
  if (!schema) throw new Error(`[im-search] [tablestore] the ${index} index has no field ${field}`)
  return schema
}

/**
 * Numeric fields every document of the index has (the documents' types make them required).
 * `function_score` on them needs no "missing value" branch.
 */
export const ALWAYS_PRESENT: Readonly<Record<IndexName, readonly string[]>> = {
  messages: ['sequenceId', 'sentAt'],
  users: ['tags.weight'],
  groups: ['memberCount', 'createdAt', 'tags.weight'],
  contacts: ['addedAt'],
}
