/**
 * @module How each search index's DSL fields map onto Tablestore columns, and the adapter's own
 * columns. Shared by the query compiler, the document codec and the index schemas, so that the
 * three cannot disagree.
 *
 * DSL field names are used as column names as they are, except:
 * - `text` fields (message `content`, group `description`) are searched through a pre-tokenized
 *   column (`content_tokens`), see the README's "exact matching rule";
 * - the recipient field (`recipients: true` in the index schema) is searched through the
 *   document's recipient set id (`recipient_set`).
 */
import { type FieldSchema, fieldSchema, type IndexName } from '../../src/query/index-schemas.ts'

/** Every document row holds its index name here: the constant that weighted constant scores match. */
export const KIND_COLUMN = '_doc'
/** The write batch that last wrote the row: how `settle()` sees a write become searchable. */
export const WRITE_COLUMN = '_write'
/**
 * A TEXT column with highlighting enabled that no row holds and no query names: asking to
 * highlight it is what makes Tablestore return each hit's score. SearchHit, and with it the
 * score, "exists only when you use the highlight or KNN vector query feature" (SearchHit,
 * https://www.alibabacloud.com/help/en/tablestore/developer-reference/searchhit); highlighting
 * needs a TEXT field created with `enable_highlighting` (Highlighting,
 * https://alibabacloud.com/help/en/tablestore/developer-reference/query-highlight-by-using-nodejs-sdk),
 * and a field no query condition names returns no fragments ("Summary and highlighting",
 * https://www.alibabacloud.com/help/en/tablestore/developer-reference/java-summary-highlighting),
 * so the answer carries scores and nothing more. The docs do not say whether a field without a
 * value may be highlighted; the live suite checks that scores come back.
 */
export const SCORE_COLUMN = '_score'
/** A document's recipient set id (see `recipient-sets.ts`). */
export const RECIPIENT_SET_COLUMN = 'recipient_set'

/** Whether `field` is the index's recipient field, stored and searched as a recipient set id. */
export function isRecipientField(index: IndexName, field: string): boolean {
  return fieldSchema(index, field)?.recipients === true
}

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
