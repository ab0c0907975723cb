/**
 * @module Search documents ↔ rows of the document tables, driven by the DSL index schemas:
 * arrays and nested objects as JSON strings (what Tablestore's array and nested fields read),
 * geo points as `"lat,lon"`, integers as `TableStore.Long`, `text` fields twice (as given, and
 * as the message analyzer's tokens for the `split`-analysed search column), message recipients
 * as a recipient set id. Decoding gives back exactly the document that was indexed.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { DocumentOf } from '../../src/ports/documents.ts'
import { type FieldSchema, INDEX_SCHEMAS, type IndexName } from '../../src/query/index-schemas.ts'
import { fieldTokens } from '../../src/text/field-tokens.ts'
import { TablestoreLimitError } from './errors.ts'
import {
  isRecipientField,
  KIND_COLUMN,
  RECIPIENT_SET_COLUMN,
  TOKEN_COLUMNS,
  WRITE_COLUMN,
} from './index-fields.ts'
import { LIMITS } from './query-compiler.ts'
import type { Cells } from './rows.ts'
import { DOC_KEYS } from './schema.ts'
import { long } from './sdk.ts'

type Source = Record<string, unknown>

const fields = (index: IndexName) => Object.entries(INDEX_SCHEMAS[index] as Record<string, FieldSchema>)

/** The document's id (its table's primary key). */
export function docId(index: IndexName, doc: DocumentOf<IndexName>): string {
  return String((doc as unknown as Source)[DOC_KEYS[index]])
}

function checkKeyword(index: IndexName, field: string, value: unknown): void {
  if (typeof value === 'string' && Buffer.byteLength(value) > LIMITS.keywordBytes)
    throw new TablestoreLimitError(
      `${index}.${field}: a keyword value is at most ${LIMITS.keywordBytes} bytes`,
    )
}

function checkCount(index: IndexName, field: string, list: readonly unknown[]): void {
  if (list.length > LIMITS.arrayElements)
    throw new TablestoreLimitError(
      `${index}.${field} has ${list.length} values; Tablestore indexes at most ${LIMITS.arrayElements}`,
    )
}

/** The row of a document: its key and columns (`recipientSet`: the message's set id). */
export function encodeDocument(
  index: IndexName,
  doc: DocumentOf<IndexName>,
  writeToken: string,
  recipientSet?: string,
): { key: Cells; columns: Cells } {
  const source = doc as unknown as Source
  const keyField = DOC_KEYS[index]
  const columns: Cells = { [KIND_COLUMN]: index, [WRITE_COLUMN]: writeToken }
  for (const [field, schema] of fields(index)) {
    if (field === keyField) continue
    const value = source[field]
    if (value === undefined || value === null) continue
    if (isRecipientField(index, field)) {
      columns[RECIPIENT_SET_COLUMN] = recipientSet
      continue
    }
    switch (schema.type) {
      case 'keyword':
        if (schema.array) {
          const list = value as unknown[]
          checkCount(index, field, list)
          for (const v of list) checkKeyword(index, field, v)
          columns[field] = JSON.stringify(list)
        } else {
          checkKeyword(index, field, value)
          columns[field] = String(value)
        }
        break
      case 'text':
        // A list of texts (attachment names) keeps a separator token between them: no phrase spans two.
        columns[field] = schema.array ? JSON.stringify(value) : String(value)
        columns[TOKEN_COLUMNS[field] ?? field] = fieldTokens(value).join(' ')
        break
      case 'fuzzy':
        columns[field] = String(value)
        break
      case 'long':
        columns[field] = long(Number(value))
        break
      case 'double':
        columns[field] = Number(value)
        break
      case 'boolean':
        columns[field] = value === true
        break
      case 'geo_point': {
        const p = value as GeoPoint
        columns[field] = `${p.lat},${p.lon}`
        break
      }
      case 'nested': {
        const list = value as unknown[]
        checkCount(index, field, list)
        columns[field] = JSON.stringify(list)
        break
      }
    }
  }
  return { key: { [keyField]: String(source[keyField]) }, columns }
}

/** The columns to read back for documents of the index. */
export function storedColumns(index: IndexName): string[] {
  return fields(index)
    .map(([field]) => (isRecipientField(index, field) ? RECIPIENT_SET_COLUMN : field))
    .filter((field) => field !== DOC_KEYS[index])
}

/** The document of a row (key and columns as plain values); `members` resolves recipient sets. */
export function decodeDocument<I extends IndexName>(
  index: I,
  row: Record<string, unknown>,
  members: (setId: string) => string[],
): DocumentOf<I> {
  const doc: Source = {}
  for (const [field, schema] of fields(index)) {
    if (isRecipientField(index, field)) {
      const set = row[RECIPIENT_SET_COLUMN]
      if (typeof set === 'string') doc[field] = members(set)
      continue
    }
    const value = row[field]
    if (value === undefined || value === null) continue
    switch (schema.type) {
      case 'keyword':
      case 'text':
        doc[field] = schema.array ? JSON.parse(String(value)) : value
        break
      case 'nested':
        doc[field] = JSON.parse(String(value))
        break
      case 'long':
      case 'double':
        doc[field] = Number(value)
        break
      case 'geo_point': {
        const [lat, lon] = String(value).split(',').map(Number)
        doc[field] = { lat, lon }
        break
      }
      default:
        doc[field] = value
    }
  }
  return doc as unknown as DocumentOf<I>
}
