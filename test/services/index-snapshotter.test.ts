/**
 * @module When index snapshots are saved and how they are marked (issue 15), with a fake feed
 * and fake snapshots: the mark is the store's last change before the writes in flight settled,
 * the policy saves by count and by age, a dead letter blocks saving, and stop() saves what is left.
 */
import { describe, expect, it, vi } from 'vitest'
import type { Change, ChangeFeed } from '../../src/ports/change-feed.ts'
import type { IndexSnapshots, SnapshotMarker } from '../../src/ports/index-snapshots.ts'
import type { QueueStatus } from '../../src/services/index-queue.ts'
import { IndexSnapshotter } from '../../src/services/index-snapshotter.ts'
import { WriteBarrier } from '../../src/services/write-barrier.ts'

function fakeFeed(): ChangeFeed & { last: number; prunedTo: number } {
  return {
    storeId: 'store-甲',
    last: 0,
    prunedTo: 0,
    lastChange() {
      return this.last
    },
    oldestChange() {
      return this.last > this.prunedTo ? this.prunedTo + 1 : undefined
    },
    async *changesSince(): AsyncIterable<Change[]> {},
    async pruneChanges(upTo) {
      this.prunedTo = upTo
    },
  }
}

function fakeSnapshots(): IndexSnapshots & { saved: SnapshotMarker[] } {
  return {
    saved: [],
    async save(marker) {
      this.saved.push(marker)
      return { bytes: 1, captureMs: 0, ms: 0 }
    },
    async load() {
      return { loaded: false, reason: 'none' }
    },
  }
}

const queue = (deadLetters = 0) => ({
  status: (): QueueStatus => ({
    topics: [],
    deadLetters: Array.from({ length: deadLetters }, (_, i) => ({
      topic: 'messages' as const,
      id: `m${i}`,
      attempts: 4,
      error: '写入失败',
      failedAt: 0,
    })),
  }),
})

describe('IndexSnapshotter', () => {
  it('marks a snapshot with the last change before the writes in flight settled', async () => {
    const [feed, snapshots, writes] = [fakeFeed(), fakeSnapshots(), new WriteBarrier()]
    const snapshotter = new IndexSnapshotter({ snapshots, feed, writes, queue: queue(), covered: 0 })
    let finish!: () => void
    feed.last = 5
    const inFlight = writes.track(() => new Promise<void>((resolve) => (finish = resolve)))
    const saving = snapshotter.save()
    // A write committed after the mark was read: in the next snapshot, not this one's mark.
    feed.last = 6
    await Promise.resolve()
    expect(snapshots.saved).toEqual([])
    finish()
    await inFlight
    await saving
    expect(snapshots.saved).toEqual([{ storeId: 'store-甲', covered: 5 }])
    expect(feed.prunedTo).toBe(5)
    expect(snapshotter.status().pendingChanges).toBe(1)
  })

  it('saves once enough changes wait, or some do and the last snapshot is old', async () => {
    let now = 0
    const [feed, snapshots] = [fakeFeed(), fakeSnapshots()]
    const snapshotter = new IndexSnapshotter({
      snapshots,
      feed,
      writes: new WriteBarrier(),
      queue: queue(),
      covered: 0,
      policy: { everyChanges: 10, maxAgeMs: 1000, checkEveryMs: 1 },
      now: () => now,
    })
    snapshotter.start()
    try {
      feed.last = 9
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(snapshots.saved).toEqual([])
      feed.last = 10
      await vi.waitFor(() => expect(snapshots.saved.map((m) => m.covered)).toEqual([10]))
      feed.last = 11
      now = 999
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(snapshots.saved).toHaveLength(1)
      now = 1000
      await vi.waitFor(() => expect(snapshots.saved.map((m) => m.covered)).toEqual([10, 11]))
    } finally {
      await snapshotter.stop()
    }
  })

  it('does not save while index tasks are dead letters, and says why', async () => {
    const [feed, snapshots] = [fakeFeed(), fakeSnapshots()]
    const skipped: string[] = []
    const snapshotter = new IndexSnapshotter({
      snapshots,
      feed,
      writes: new WriteBarrier(),
      queue: queue(2),
      covered: 0,
      onSkipped: (reason) => skipped.push(reason),
    })
    feed.last = 3
    expect(await snapshotter.save()).toBeUndefined()
    expect(snapshots.saved).toEqual([])
    expect(feed.prunedTo).toBe(0)
    expect(skipped[0]).toMatch(/2 index tasks are dead letters/)
  })

  it('saves at stop only when changes wait, and reports a failed save without throwing', async () => {
    const [feed, snapshots] = [fakeFeed(), fakeSnapshots()]
    const deps = { snapshots, feed, writes: new WriteBarrier(), queue: queue(), covered: 4 }
    feed.last = 4
    await new IndexSnapshotter(deps).stop()
    expect(snapshots.saved).toEqual([])
    feed.last = 7
    await new IndexSnapshotter(deps).stop()
    expect(snapshots.saved.map((m) => m.covered)).toEqual([7])
    const failures: unknown[] = []
    snapshots.save = async () => {
      throw new Error('磁盘已满 disk full')
    }
    feed.last = 8
    await new IndexSnapshotter({ ...deps, onFailed: (e) => failures.push(e) }).stop()
    expect(String(failures[0])).toMatch(/disk full/)
    expect(feed.prunedTo).toBe(7)
  })
})
