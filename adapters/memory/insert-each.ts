/** @module Inserting a batch of messages into a local store: one insert after another. */
import type { InsertResult, MessageDraft, RecordStore } from '../../src/ports/record-store.ts'

/**
 * `RecordStore.insertMessages` for a local store: each insert is one local transaction, and
 * batching would save no round trip.
 */
export async function insertEach(
  store: Pick<RecordStore, 'insertMessage'>,
  drafts: readonly MessageDraft[],
): Promise<InsertResult[]> {
  const results: InsertResult[] = []
  for (const draft of drafts) results.push(await store.insertMessage(draft))
  return results
}
