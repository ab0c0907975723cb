/**
 * @module Search documents from the record store: at start-up of the embedded backend (its
 * indexes live in memory and are rebuilt from the durable records) and by a reindex.
 */
import type { DocumentOf, NameFields } from '../ports/documents.ts'
import type { RecordScanner } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import { INDEX_NAMES, type IndexName } from '../query/index-schemas.ts'
import { contactDocument, groupDocument, messageDocument, nameFields, userDocument } from './documents.ts'

export const DEFAULT_PAGE_SIZE = 1000

/** Every document of `index`, built from the records, in pages. */
export async function* documentPages<I extends IndexName>(
  source: RecordScanner,
  index: I,
  pageSize = DEFAULT_PAGE_SIZE,
): AsyncIterable<DocumentOf<I>[]> {
  type Pages = AsyncIterable<DocumentOf<I>[]>
  if (index === 'users') {
    for await (const users of source.scan('users', pageSize)) yield users.map(userDocument) as DocumentOf<I>[]
  } else if (index === 'groups') {
    for await (const groups of source.scan('groups', pageSize))
      yield groups.map(groupDocument) as DocumentOf<I>[]
  } else if (index === 'messages') {
    for await (const messages of source.scan('messages', pageSize))
      yield messages.map(messageDocument) as DocumentOf<I>[]
  } else {
    yield* contactPages(source, pageSize) as Pages
  }
}

/** Contact rows show the contact's current name, from the user table. */
async function* contactPages(
  source: RecordScanner,
  pageSize: number,
): AsyncIterable<DocumentOf<'contacts'>[]> {
  const names = new Map<string, string>()
  for await (const users of source.scan('users', pageSize))
    for (const user of users) names.set(user.userId, user.name)
  // A user is in many people's contacts: the fields of their name (pinyin, typo forms) are built once.
  const fields = new Map<string, NameFields>()
  const fieldsOf = (name: string) => {
    let f = fields.get(name)
    if (!f) {
      f = nameFields(name)
      fields.set(name, f)
    }
    return f
  }
  for await (const rows of source.scan('contacts', pageSize))
    yield rows.map((row) => contactDocument(row, names.get(row.contactId) ?? row.contactId, fieldsOf))
}

/** Index every record into `backend`; resolves with the documents indexed per index. */
export async function buildIndexes(
  source: RecordScanner,
  backend: SearchBackend,
): Promise<Record<IndexName, number>> {
  const counts: Record<IndexName, number> = { users: 0, groups: 0, contacts: 0, messages: 0 }
  for (const index of INDEX_NAMES) {
    for await (const page of documentPages(source, index)) {
      await backend.index(index, page)
      counts[index] += page.length
    }
  }
  return counts
}
