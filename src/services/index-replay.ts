/**
 * @module Bringing indexes loaded from a snapshot up to date: the records changed after the
 * snapshot's mark (`ports/change-feed.ts`) are indexed again as they are now, through the
 * indexing queue's own task (read the record back; index it, or remove it when it is gone).
 */
import type { ChangeFeed } from '../ports/change-feed.ts'
import { contactKey } from '../ports/documents.ts'
import type { RecordStore } from '../ports/record-store.ts'
import type { IndexName } from '../query/index-schemas.ts'
import type { IndexQueue } from './index-queue.ts'

/** Changes read, and ids indexed per task, at a time. */
const REPLAY_PAGE = 1000

/**
 * Re-indexes every record changed after `covered`; resolves with the number of changes replayed.
 * A user's change re-indexes the contact rows that show their name as well: the write that
 * renamed them may have stopped before it reached those rows.
 */
export async function replayChanges(
  feed: ChangeFeed,
  covered: number,
  store: Pick<RecordStore, 'contactsOf'>,
  queue: Pick<IndexQueue, 'submit'>,
  onProgress?: (replayed: number) => void,
): Promise<number> {
  let replayed = 0
  for await (const changes of feed.changesSince(covered, REPLAY_PAGE)) {
    const ids: Record<IndexName, Set<string>> = {
      users: new Set(),
      groups: new Set(),
      contacts: new Set(),
      messages: new Set(),
    }
    for (const { kind, key } of changes) ids[kind].add(key)
    for (const userId of ids.users)
      for (const contact of await store.contactsOf(userId))
        ids.contacts.add(contactKey(contact.contactId, userId))
    for (const [index, set] of Object.entries(ids) as [IndexName, Set<string>][])
      if (set.size > 0) await queue.submit(index, [...set])
    replayed += changes.length
    onProgress?.(replayed)
  }
  return replayed
}
