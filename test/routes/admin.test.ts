/** @module The admin endpoints (issue 6): reindex jobs, their progress, cancel, and index listing. */
import { describe, expect, it } from 'vitest'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { deferred } from '../support/deferred.ts'
import { createHarness, expectJson, expectProblem, type HarnessOptions } from './harness.ts'

const admin = { as: 'ops', scopes: ['admin'] as const }

async function seeded(options: HarnessOptions = {}) {
  const h = createHarness(options)
  expectJson(await h.ingest('PUT', '/v1/users/u1', { name: '张伟' }), 201)
  expectJson(await h.ingest('PUT', '/v1/groups/g1', { name: '前端技术交流群', ownerId: 'u1' }), 201)
  for (let i = 0; i < 30; i++)
    expectJson(
      await h.ingest('POST', '/v1/messages', {
        messageId: `m${i}`,
        conversationId: 'g1',
        senderId: 'u1',
        content: `上海 第${i}条`,
      }),
      201,
    )
  return h
}

async function waitForJob(h: ReturnType<typeof createHarness>, jobId: string) {
  for (;;) {
    const job = expectJson(await h.call('GET', `/v1/admin/reindex/${jobId}`, admin), 200)
    if (job.state !== 'running') return job
    await new Promise((r) => setImmediate(r))
  }
}

/** The embedded backend with rebuilds held until `gate` settles: a job is certainly running meanwhile. */
function gated(inner: SearchBackend, gate: Promise<void>): SearchBackend {
  return {
    name: inner.name,
    index: (index, docs) => inner.index(index, docs),
    remove: (index, ids) => inner.remove(index, ids),
    search: (index, request) => inner.search(index, request),
    searchGrouped: (index, request) => inner.searchGrouped(index, request),
    stats: (index) => inner.stats(index),
    close: () => inner.close(),
    rebuild: async (index, options) => {
      // Cancelling wakes it too: the inner rebuild then stops at once on the aborted signal.
      const aborted = new Promise<void>((resolve) =>
        options.signal?.addEventListener('abort', () => resolve()),
      )
      await Promise.race([gate, aborted])
      return inner.rebuild(index, options)
    },
  }
}

describe('admin', () => {
  it('reindexes all indexes: 202 with a job, progress to success, generations advance, search unchanged', async () => {
    const h = await seeded()
    const before = expectJson(await h.get('u1', '/v1/search/messages?q=上海&limit=100'), 200)
    const started = expectJson(
      await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'all' } }),
      202,
    )
    expect(started).toMatchObject({ index: 'all', state: 'running', processed: 0 })
    expect(started.total).toBeGreaterThanOrEqual(32)
    expect(typeof started.startedAt).toBe('number')
    const done = await waitForJob(h, started.jobId)
    expect(done).toMatchObject({ state: 'succeeded', processed: done.total })
    expect(typeof done.finishedAt).toBe('number')
    const { indexes } = expectJson(await h.call('GET', '/v1/admin/indexes', admin), 200)
    expect(indexes).toContainEqual({ index: 'messages', documents: 30, generation: 2, rebuilding: false })
    expect(indexes).toContainEqual({ index: 'users', documents: 1, generation: 2, rebuilding: false })
    const after = expectJson(await h.get('u1', '/v1/search/messages?q=上海&limit=100'), 200)
    const ids = (page: { hits: { messageId: string }[] }) => page.hits.map((x) => x.messageId)
    expect(after.total).toBe(before.total)
    expect(ids(after)).toEqual(ids(before))
  })

  it('409 for a second reindex of the same index while one runs; cancel stops it', async () => {
    const gate = deferred()
    const h = await seeded({ backend: (inner) => gated(inner, gate.promise) })
    const job = expectJson(
      await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'messages' } }),
      202,
    )
    expectProblem(await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'messages' } }), 409)
    expectProblem(await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'all' } }), 409)
    // Another index may be rebuilt meanwhile.
    const users = expectJson(
      await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'users' } }),
      202,
    )
    expect(expectJson(await h.call('POST', `/v1/admin/reindex/${job.jobId}/cancel`, admin), 200).state).toBe(
      'cancelled',
    )
    gate.resolve()
    expectProblem(await h.call('POST', `/v1/admin/reindex/${job.jobId}/cancel`, admin), 409)
    expect((await waitForJob(h, users.jobId)).state).toBe('succeeded')
    // The live generation is untouched by a cancelled rebuild.
    const { indexes } = expectJson(await h.call('GET', '/v1/admin/indexes', admin), 200)
    expect(indexes).toContainEqual({ index: 'messages', documents: 30, generation: 1, rebuilding: false })
  })

  it('shows the indexing queue: checkpoints, lag, retries, dead letters; retry heals them', async () => {
    let down = false
    const h = await seeded({
      backend: (inner) => ({
        ...gated(inner, Promise.resolve()),
        index: async (index, docs) => {
          if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
          return inner.index(index, docs)
        },
      }),
    })
    const healthy = expectJson(await h.call('GET', '/v1/admin/queue', admin), 200)
    expect(healthy.topics).toContainEqual({
      topic: 'messages',
      enqueued: 30,
      checkpoint: 30,
      lag: 0,
      retries: 0,
      repairsPending: 0,
    })
    expect(healthy.deadLetters).toEqual([])
    down = true
    const body = { messageId: 'late', conversationId: 'g1', senderId: 'u1', content: '迟到的消息' }
    expectProblem(await h.ingest('POST', '/v1/messages', body), 503)
    const failing = expectJson(await h.call('GET', '/v1/admin/queue', admin), 200)
    expect(failing.deadLetters).toMatchObject([{ topic: 'messages', id: 'late', attempts: 4 }])
    expect(failing.topics).toContainEqual({
      topic: 'messages',
      enqueued: 31,
      checkpoint: 31,
      lag: 0,
      retries: 3,
      // The given-up attempts may still land: the task runs once more later.
      repairsPending: 1,
    })
    down = false
    expect(expectJson(await h.call('POST', '/v1/admin/queue/retry', admin), 200)).toEqual({
      retried: 1,
      succeeded: 1,
    })
    expect(expectJson(await h.get('u1', '/v1/search/messages?q=迟到'), 200).total).toBe(1)
    // The client's own retry of the 503 is idempotent: the stored message, not a second one.
    expectJson(await h.ingest('POST', '/v1/messages', body), 200)
  })

  it('400 for an unknown index, 404 for an unknown job', async () => {
    const h = createHarness()
    expectProblem(
      await h.call('POST', '/v1/admin/reindex', { ...admin, body: { index: 'nope' } }),
      400,
      'body.index',
    )
    expectProblem(await h.call('POST', '/v1/admin/reindex', { ...admin, body: {} }), 400, 'body.index')
    expectProblem(await h.call('GET', '/v1/admin/reindex/unknown', admin), 404)
    expectProblem(await h.call('POST', '/v1/admin/reindex/unknown/cancel', admin), 404)
  })

  it('needs the admin scope: 401 without a token, 403 with search and ingest only', async () => {
    const h = createHarness()
    for (const [method, path, body] of [
      ['POST', '/v1/admin/reindex', { index: 'all' }],
      ['GET', '/v1/admin/reindex/x', undefined],
      ['POST', '/v1/admin/reindex/x/cancel', undefined],
      ['GET', '/v1/admin/indexes', undefined],
      ['GET', '/v1/admin/queue', undefined],
      ['POST', '/v1/admin/queue/retry', undefined],
    ] as const) {
      expectProblem(await h.call(method, path, { body }), 401)
      expectProblem(await h.call(method, path, { as: 'u1', scopes: ['search', 'ingest'], body }), 403)
    }
  })
})
