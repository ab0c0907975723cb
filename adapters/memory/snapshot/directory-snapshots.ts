/**
 * @module {@link IndexSnapshots} for the embedded engine: the backend's live indexes captured at
 * `save`, written in the background (`writer.ts`), and read back whole at `load` (`reader.ts`).
 */
import type {
  IndexSnapshots,
  SnapshotLoad,
  SnapshotMarker,
  SnapshotSaved,
} from '../../../src/ports/index-snapshots.ts'
import type { DocIndexSnapshot } from '../doc-index.ts'
import { readSnapshot, type SnapshotRead } from './reader.ts'
import { writeSnapshot } from './writer.ts'

/** What the snapshots need of the backend. */
export interface SnapshotTarget {
  /** Index name → its live generation, captured now (`DocIndex.toSnapshot`). */
  capture(): Record<string, DocIndexSnapshot>
  /** The indexes the backend holds. */
  readonly names: readonly string[]
  /**
   * Replaces every index with the one rebuilt from its snapshot, all or none; throws when a
   * snapshot does not fit, or says why the backend cannot take them (e.g. not empty).
   */
  restore(indexes: Record<string, DocIndexSnapshot>): string | undefined
}

export class DirectorySnapshots implements IndexSnapshots {
  readonly #dir: string
  readonly #target: SnapshotTarget
  /** Saves write one after another (each captured when called). */
  #writing: Promise<unknown> = Promise.resolve()

  constructor(dir: string, target: SnapshotTarget) {
    this.#dir = dir
    this.#target = target
  }

  save(marker: SnapshotMarker): Promise<SnapshotSaved> {
    const started = performance.now()
    let captured: Record<string, DocIndexSnapshot>
    try {
      captured = this.#target.capture()
    } catch (error) {
      return Promise.reject(error)
    }
    const captureMs = performance.now() - started
    const written = this.#writing.then(() => writeSnapshot(this.#dir, captured, marker))
    this.#writing = written.catch(() => {})
    return written.then((bytes) => ({ bytes, captureMs, ms: performance.now() - started }))
  }

  async load(accept?: (marker: SnapshotMarker) => string | undefined): Promise<SnapshotLoad> {
    const started = performance.now()
    await this.#writing
    let read: SnapshotRead
    try {
      read = await readSnapshot(this.#dir, this.#target.names, accept)
    } catch (error) {
      // readSnapshot says why for every fault it knows; anything else is still no snapshot.
      return { loaded: false, reason: `index snapshot unreadable (${(error as Error).message})` }
    }
    if (!read.ok) return { loaded: false, reason: read.reason }
    let refused: string | undefined
    try {
      refused = this.#target.restore(read.indexes)
    } catch (error) {
      return { loaded: false, reason: `index snapshot does not fit this build (${(error as Error).message})` }
    }
    if (refused) return { loaded: false, reason: refused }
    return { loaded: true, marker: read.marker, bytes: read.bytes, ms: performance.now() - started }
  }
}
