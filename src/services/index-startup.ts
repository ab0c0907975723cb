/**
 * @module Start-up of a backend whose indexes live in this process (issue 15): load the saved
 * snapshot and replay the records changed since, or, when there is no snapshot the records can
 * bring up to date, rebuild from every record and save one before serving. The records are the
 * source of truth; a snapshot is only ever a faster way to the same indexes.
 */
import type { ChangeFeed } from '../ports/change-feed.ts'
import type { SnapshotMarker } from '../ports/index-snapshots.ts'
import type { RecordScanner, RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import type { IndexName } from '../query/index-schemas.ts'
import { buildIndexes } from './index-builder.ts'
import { IndexQueue } from './index-queue.ts'
import { replayChanges } from './index-replay.ts'

export interface IndexStartup {
  /** `snapshot`: loaded and brought up to date; `rebuilt`: built from every record. */
  mode: 'snapshot' | 'rebuilt'
  /** Why no snapshot was used (when rebuilt). */
  reason?: string
  /** Changes replayed on top of the snapshot. */
  replayed: number
  /** The store's last change the indexes hold when start-up ends. */
  covered: number
  ms: number
  /** Documents indexed per index, when rebuilt. */
  counts?: Record<IndexName, number>
}

export interface IndexStartupDeps {
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** The store's change feed; without it (or without `backend.snapshots`) indexes are rebuilt. */
  feed?: ChangeFeed | undefined
  /** Called as changes are replayed on top of a snapshot, with the count so far. */
  onReplayed?: (replayed: number) => void
}

/** Why a snapshot marked `marker` cannot be brought up to date from `feed`, or undefined. */
export function refusalOf(marker: SnapshotMarker, feed: ChangeFeed): string | undefined {
  if (marker.storeId !== feed.storeId)
    return `it was taken from another data dir (store ${marker.storeId}, this one is ${feed.storeId})`
  const last = feed.lastChange()
  if (marker.covered > last)
    return `it holds changes up to ${marker.covered}, and the records end at ${last} (were they restored from an older backup?)`
  const oldest = feed.oldestChange()
  // The changes after the mark must all be listed: from covered + 1 on, or none when up to date.
  if (marker.covered < last && (oldest === undefined || oldest > marker.covered + 1))
    return `the changes after ${marker.covered} are no longer listed (the oldest is ${oldest ?? 'none'})`
  return undefined
}

export async function startIndexes({
  store,
  backend,
  feed,
  onReplayed,
}: IndexStartupDeps): Promise<IndexStartup> {
  const started = Date.now()
  const snapshots = backend.snapshots
  let reason = 'no change feed or snapshots (an in-memory store)'
  if (snapshots && feed) {
    const load = await snapshots.load((marker) => refusalOf(marker, feed))
    if (load.loaded) {
      // Its own queue: nothing else writes before start-up ends.
      const queue = new IndexQueue({ store, backend })
      const replayed = await replayChanges(feed, load.marker.covered, store, queue, onReplayed)
      return { mode: 'snapshot', replayed, covered: feed.lastChange(), ms: Date.now() - started }
    }
    reason = load.reason
  }
  // Nothing writes during start-up: the mark read before the scan is exact.
  const covered = feed?.lastChange() ?? 0
  const counts = await buildIndexes(store, backend)
  // Saved before serving: a snapshot the records were found to have moved away from is replaced
  // before any new write could make its mark look current again.
  if (snapshots && feed) {
    await snapshots.save({ storeId: feed.storeId, covered })
    await feed.pruneChanges(covered)
  }
  return { mode: 'rebuilt', reason, replayed: 0, covered, ms: Date.now() - started, counts }
}
