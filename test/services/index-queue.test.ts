/**
 * @module The indexing queue (issue 6): tasks retried with a count, dead letters after the last
 * attempt, a checkpoint per topic, and dead letters that can be retried once the backend is back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { createCursorCodec } from '../../src/services/cursor.ts'
import { IndexQueue } from '../../src/services/index-queue.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { MessageSearch } from '../../src/services/message-search.ts'
import { peopleOf } from '../../src/services/people.ts'

/**
 * The embedded backend, whose writes fail while `failures` is above zero (each failure uses one).
 * With `landLateMs`, a failed write is still applied that much later, as a write the client gave up
 * on (timed out, connection dropped) may be by a remote backend.
 */
function flaky(inner: SearchBackend) {
  const control = { failures: 0, writes: 0, landLateMs: 0 }
  const fail = (apply: () => Promise<void>) => {
    control.writes++
    if (control.failures > 0) {
      control.failures--
      if (control.landLateMs > 0) setTimeout(() => void apply(), control.landLateMs)
      throw Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' })
    }
  }
  const backend: SearchBackend = {
    name: inner.name,
    index: async (index, docs) => {
      fail(() => inner.index(index, docs))
      return inner.index(index, docs)
    },
    remove: async (index, ids) => {
      fail(() => inner.remove(index, ids))
      return inner.remove(index, ids)
    },
    search: (index, request) => inner.search(index, request),
    searchGrouped: (index, request) => inner.searchGrouped(index, request),
    stats: (index) => inner.stats(index),
    rebuild: (index, options) => inner.rebuild(index, options),
    close: () => inner.close(),
  }
  return { backend, control }
}

function setup() {
  const store = new MemoryRecordStore()
  const { backend, control } = flaky(createMemoryBackend())
  const queue = new IndexQueue({
    store,
    backend,
    maxAttempts: 3,
    retryDelayMs: 1,
    repairDelayMs: 60,
    now: () => 42,
  })
  const ingestion = new Ingestion({ store, backend, queue })
  const search = new MessageSearch(backend, createCursorCodec('t'), peopleOf(store))
  const post = (id: string, content: string) =>
    ingestion.postMessage({
      messageId: id,
      conversationId: 'dm:a:b',
      senderId: 'a',
      type: 'text',
      content,
      recipients: ['b'],
    })
  const find = async (q: string) =>
    (await search.search('b', { q, limit: 100 })).hits.map((h) => h.messageId).sort()
  const topic = (name: string) => queue.status().topics.find((t) => t.topic === name)
  return { store, queue, control, post, find, topic, ingestion }
}

describe('indexing queue', () => {
  it('retries a failing task and stays read-your-writes', async () => {
    const s = setup()
    s.control.failures = 2
    await s.post('m1', '上海见')
    expect(await s.find('上海')).toEqual(['m1'])
    expect(s.topic('messages')).toEqual({
      topic: 'messages',
      enqueued: 1,
      checkpoint: 1,
      lag: 0,
      retries: 2,
      repairsPending: 1,
    })
    expect(s.queue.status().deadLetters).toEqual([])
  })

  it('dead-letters after the last attempt, reports it, and heals on retry', async () => {
    const s = setup()
    s.control.failures = 3
    // The write is stored; the request reports the indexing failure (the HTTP layer answers 503).
    await expect(s.post('m1', 'jwt 令牌')).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(await s.store.getMessage('m1')).toBeDefined()
    expect(await s.find('jwt')).toEqual([])
    expect(s.queue.status().deadLetters).toEqual([
      { topic: 'messages', id: 'm1', attempts: 3, error: 'connect ECONNRESET', failedAt: 42 },
    ])
    expect(s.topic('messages')).toMatchObject({ enqueued: 1, checkpoint: 1, lag: 0 })
    // Later tasks are not blocked by a dead one.
    await s.post('m2', 'jwt 过期')
    expect(await s.find('jwt')).toEqual(['m2'])
    expect(await s.queue.retryDeadLetters()).toEqual({ retried: 1, succeeded: 1 })
    expect((await s.find('jwt')).sort()).toEqual(['m1', 'm2'])
    expect(s.queue.status().deadLetters).toEqual([])
  })

  it('a dead letter that fails again returns to the list', async () => {
    const s = setup()
    s.control.failures = 3
    await expect(s.post('m1', 'x')).rejects.toThrow()
    s.control.failures = 3
    expect(await s.queue.retryDeadLetters()).toEqual({ retried: 1, succeeded: 0 })
    expect(s.queue.status().deadLetters).toHaveLength(1)
  })

  // The clock is faked in these two: which timer fires first (the late write at 20 ms, the repair
  // 60 ms after the retry) must not depend on how busy the machine is.
  describe('on a fake clock', () => {
    beforeEach(() => {
      vi.useFakeTimers()
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    it('a failed write that lands after a later recall is undone by the repair run', async () => {
      const s = setup()
      s.control.failures = 1
      s.control.landLateMs = 20
      const posted = s.post('m1', '撤回的消息')
      await vi.advanceTimersByTimeAsync(1)
      await posted
      await s.ingestion.recallMessage('m1')
      expect(await s.find('撤回')).toEqual([])
      await vi.advanceTimersByTimeAsync(19)
      // The first attempt, given up on, has landed after the recall: the index shows a recalled message.
      expect(await s.find('撤回')).toEqual(['m1'])
      expect(s.topic('messages')).toMatchObject({ repairsPending: 1 })
      await vi.advanceTimersByTimeAsync(41)
      expect(await s.find('撤回')).toEqual([])
      expect(s.topic('messages')).toMatchObject({ enqueued: 3, checkpoint: 3, lag: 0, repairsPending: 0 })
    })

    it('close() drops pending repair runs', async () => {
      const s = setup()
      s.control.failures = 1
      const posted = s.post('m1', 'x')
      await vi.advanceTimersByTimeAsync(1)
      await posted
      expect(s.topic('messages')).toMatchObject({ repairsPending: 1 })
      s.queue.close()
      await vi.advanceTimersByTimeAsync(10_000)
      expect(s.topic('messages')).toMatchObject({ enqueued: 1, repairsPending: 0 })
    })
  })

  it('after concurrent posts, recalls and a failure the index equals the store', async () => {
    const s = setup()
    for (let i = 0; i < 20; i++) await s.post(`m${i}`, `表格存储 ${i}`)
    s.control.failures = 1
    await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) => s.ingestion.recallMessage(`m${2 * i}`)),
      ...Array.from({ length: 10 }, (_, i) => s.post(`n${i}`, `表格存储 new ${i}`)),
    ])
    const stored: string[] = []
    for await (const page of s.store.scan('messages', 100)) stored.push(...page.map((m) => m.messageId))
    expect(stored).toHaveLength(20)
    expect(await s.find('表格存储')).toEqual(stored.sort())
    expect(s.topic('messages')).toMatchObject({ enqueued: 40, checkpoint: 40, lag: 0, retries: 1 })
  })

  it('idle() resolves once every submitted task is done, failed ones included (the shutdown waits for it, issue #14)', async () => {
    const s = setup()
    await s.post('m1', '关机 shutdown')
    s.control.failures = 1
    const task = s.queue.submit('messages', ['m1'])
    expect(s.topic('messages')).toMatchObject({ enqueued: 2, checkpoint: 1 })
    await s.queue.idle()
    expect(s.topic('messages')).toMatchObject({ enqueued: 2, checkpoint: 2, lag: 0, retries: 1 })
    await task
    expect(await s.find('shutdown')).toEqual(['m1'])
  })
})
