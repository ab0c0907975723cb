/**
 * @module Builds search indexes from the record store: at start-up of the embedded backend (its
 * indexes live in memory and are rebuilt from the durable records) and, later, by a reindex.
 */
import type { RecordScanner } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import type { IndexName } from '../query/index-schemas.ts'
import { contactDocument, groupDocument, messageDocument, userDocument } from './documents.ts'

export interface BuildProgress {
  index: IndexName
  /** Documents indexed so far in this index. */
  done: number
}

export interface BuildOptions {
  /** @default 1000 */
  pageSize?: number
  onProgress?: (progress: BuildProgress) => void
}

/** Index every record; resolves with the documents indexed per index. */
export async function buildIndexes(
  source: RecordScanner,
  backend: SearchBackend,
  options: BuildOptions = {},
): Promise<Record<IndexName, number>> {
  const pageSize = options.pageSize ?? 1000
  const counts: Record<IndexName, number> = { users: 0, groups: 0, contacts: 0, messages: 0 }
  const progress = (index: IndexName, n: number) => {
    counts[index] += n
    options.onProgress?.({ index, done: counts[index] })
  }
  // Contact rows show the contact's current name, from the user table.
  const names = new Map<string, string>()
  for await (const users of source.scan('users', pageSize)) {
    for (const user of users) names.set(user.userId, user.name)
    await backend.index('users', users.map(userDocument))
    progress('users', users.length)
  }
  for await (const groups of source.scan('groups', pageSize)) {
    await backend.index('groups', groups.map(groupDocument))
    progress('groups', groups.length)
  }
  for await (const rows of source.scan('contacts', pageSize)) {
    await backend.index(
      'contacts',
      rows.map((row) => contactDocument(row, names.get(row.contactId) ?? row.contactId)),
    )
    progress('contacts', rows.length)
  }
  for await (const messages of source.scan('messages', pageSize)) {
    await backend.index('messages', messages.map(messageDocument))
    progress('messages', messages.length)
  }
  return counts
}
