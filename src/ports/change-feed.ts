/**
 * @module The change feed: a record store that numbers its writes. Every write transaction that
 * changes a record also appends, in the same transaction, one change per record it changed, under
 * an increasing sequence number. An index snapshot (`ports/index-snapshots.ts`) is marked with the
 * sequence it covers; at start the changes after it are replayed from the records.
 */
import type { RecordKind } from './record-store.ts'

/**
 * One record that changed (written or deleted). `key` is the record's id; a contact row's is
 * `userId/contactId` (the contact document's id). Memberships are not listed: no search document
 * is derived from them (a group's member count is a group field, written with the group).
 */
export interface Change {
  seq: number
  kind: RecordKind
  key: string
}

export interface ChangeFeed {
  /** This store's identity, made at its creation and kept for its life (a restored copy keeps it). */
  readonly storeId: string
  /** The last committed change's sequence number; 0 before any. */
  lastChange(): number
  /**
   * The oldest sequence number still listed, or undefined when none is: changes up to a saved
   * snapshot's mark are pruned. A snapshot covering less than `oldestChange() - 1` cannot be
   * brought up to date by replay.
   */
  oldestChange(): number | undefined
  /** The changes after `seq`, oldest first, in pages. */
  changesSince(seq: number, pageSize: number): AsyncIterable<Change[]>
  /** Forget the changes up to `upTo` (a snapshot covering them is on disk); the last change is kept. */
  pruneChanges(upTo: number): Promise<void>
}
