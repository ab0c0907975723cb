/**
 * @module When the in-process indexes are saved (issue 15): once enough records have changed
 * since the last snapshot, or some have and it is old, and at shutdown. Each snapshot is marked
 * with the store's last change before every write in flight has settled (`write-barrier.ts`),
 * so everything up to the mark is in it; the changes up to the mark are then pruned.
 */
import type { ChangeFeed } from '../ports/change-feed.ts'
import type { IndexSnapshots, SnapshotSaved } from '../ports/index-snapshots.ts'
import type { IndexQueue } from './index-queue.ts'
import type { WriteBarrier } from './write-barrier.ts'

/** How long the policy waits after a skipped or failed save before trying again. */
const RETRY_AFTER_MS = 60_000

export interface SnapshotPolicy {
  /** Save once this many changes are not in the last snapshot. @default 100_000 */
  everyChanges?: number
  /** Save when changes are waiting and the last snapshot is this old. @default 300_000 (5 min) */
  maxAgeMs?: number
  /** How often the policy is checked. @default 5_000 */
  checkEveryMs?: number
}

export interface IndexSnapshotterDeps {
  snapshots: IndexSnapshots
  feed: ChangeFeed
  writes: WriteBarrier
  queue: Pick<IndexQueue, 'status'>
  /** The store's last change the indexes held at start (`IndexStartup.covered`). */
  covered: number
  policy?: SnapshotPolicy
  onSaved?: (saved: SnapshotSaved & { covered: number }) => void
  onSkipped?: (reason: string) => void
  onFailed?: (error: unknown) => void
  now?: () => number
}

export class IndexSnapshotter {
  readonly #deps: IndexSnapshotterDeps
  readonly #everyChanges: number
  readonly #maxAgeMs: number
  readonly #now: () => number
  #covered: number
  #savedAt: number
  /** After a skipped or failed save, the policy waits this long before trying again. */
  #quietUntil = 0
  #running: Promise<SnapshotSaved | undefined> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(deps: IndexSnapshotterDeps) {
    this.#deps = deps
    this.#everyChanges = deps.policy?.everyChanges ?? 100_000
    this.#maxAgeMs = deps.policy?.maxAgeMs ?? 300_000
    this.#now = deps.now ?? Date.now
    this.#covered = deps.covered
    this.#savedAt = this.#now()
  }

  /** For `/metrics`: changes not in the saved snapshot yet, and its age (since start when none was saved). */
  status(): { pendingChanges: number; ageMs: number } {
    return {
      pendingChanges: this.#deps.feed.lastChange() - this.#covered,
      ageMs: this.#now() - this.#savedAt,
    }
  }

  /** Checks the policy every `checkEveryMs` (never what keeps a stopping process alive). */
  start(): void {
    this.#timer = setInterval(() => {
      if (this.#due()) void this.save()
    }, this.#deps.policy?.checkEveryMs ?? 5_000)
    this.#timer.unref()
  }

  /** Stops the checks and saves what changed since the last snapshot (shutdown, after the writes drained). */
  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
    if (this.#deps.feed.lastChange() > this.#covered) await this.save()
  }

  /** Saves a snapshot now, or joins the one being saved; failures are reported, never thrown. */
  save(): Promise<SnapshotSaved | undefined> {
    this.#running ??= this.#save().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  #due(): boolean {
    if (this.#running || this.#now() < this.#quietUntil) return false
    const waiting = this.#deps.feed.lastChange() - this.#covered
    return waiting >= this.#everyChanges || (waiting > 0 && this.#now() - this.#savedAt >= this.#maxAgeMs)
  }

  async #save(): Promise<SnapshotSaved | undefined> {
    const { feed, snapshots, writes, queue } = this.#deps
    try {
      const covered = feed.lastChange()
      await writes.passed()
      // A task that failed left its record out of the indexes: a snapshot would keep it out
      // across restarts. The next start replays it instead; retrying the dead letters unblocks.
      const dead = queue.status().deadLetters.length
      if (dead > 0) {
        this.#deps.onSkipped?.(`${dead} index tasks are dead letters: retry them (admin) to allow snapshots`)
        this.#quietUntil = this.#now() + RETRY_AFTER_MS
        return undefined
      }
      const saved = await snapshots.save({ storeId: feed.storeId, covered })
      this.#covered = covered
      this.#savedAt = this.#now()
      await feed.pruneChanges(covered)
      this.#deps.onSaved?.({ ...saved, covered })
      return saved
    } catch (error) {
      this.#deps.onFailed?.(error)
      this.#quietUntil = this.#now() + RETRY_AFTER_MS
      return undefined
    }
  }
}
