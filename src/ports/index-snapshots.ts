/**
 * @module Index snapshots: a backend whose indexes live in this process (the embedded engine)
 * saves them beside the records and loads them at the next start instead of rebuilding them from
 * every record (issue 15). The records stay the source of truth: a snapshot is marked with the
 * record store's change sequence it covers (`ports/change-feed.ts`), and what changed after it is
 * replayed from the records at start (`services/index-startup.ts`).
 */

/** What a snapshot was taken from: the store, and the last change of it the snapshot holds. */
export interface SnapshotMarker {
  /** The record store's identity (`ChangeFeed.storeId`): a snapshot of another store is never served. */
  storeId: string
  /**
   * Every change of the store up to this sequence number is in the snapshot (changes after it
   * may be too: replaying them again is harmless, a replay re-reads the record as it is now).
   */
  covered: number
}

export interface SnapshotSaved {
  bytes: number
  /** Time the indexes were held still while they were copied (searches and writes wait). */
  captureMs: number
  /** Whole time, the write to disk and its fsync included. */
  ms: number
}

/** A snapshot that loaded, or why none did: missing, torn, of another format version or schema. */
export type SnapshotLoad =
  | { loaded: true; marker: SnapshotMarker; bytes: number; ms: number }
  | { loaded: false; reason: string }

export interface IndexSnapshots {
  /**
   * Saves the live generation of every index, marked with `marker`. The indexes are captured as
   * they are when `save` is called, before it first yields: the caller picks `marker` for that
   * moment. The previous snapshot stays whole until the new one is on disk (written aside,
   * fsynced, then renamed into place), so a crash at any moment leaves one whole snapshot or none.
   */
  save(marker: SnapshotMarker): Promise<SnapshotSaved>
  /**
   * Replaces every (empty) index with the saved snapshot when one is there and whole (every part
   * present, checksums and sizes right, this format version and these index schemas) and
   * `accept` finds no fault with its marker; otherwise leaves the indexes empty and says why.
   * `accept` is asked before any index is read (a snapshot the records have moved away from is
   * not loaded only to be thrown away) and answers the reason to refuse it, or undefined.
   */
  load(accept?: (marker: SnapshotMarker) => string | undefined): Promise<SnapshotLoad>
}
