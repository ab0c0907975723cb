/**
 * `GET /v1/conversations/{conversationId}/messages` (issue 4): newest first, 30 a page, `before`
 * paging, `around` to open a hit in context, only what the caller can see, 404 otherwise.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import {
  createFixtureHarness,
  createHarness,
  expectJson,
  expectProblem,
  type Harness,
  qs,
  T0,
} from './harness.ts'

const ids = (hits: { messageId: string }[]) => hits.map((x) => x.messageId)
const seqs = (hits: { sequenceId: number }[]) => hits.map((x) => x.sequenceId)

describe('history in a tiny world', () => {
  let h: Harness
  const N = 45
  /** sequence ids in send order; the late joiner u3 sees from message 21 on. */
  const sent: { messageId: string; sequenceId: number }[] = []

  beforeAll(async () => {
    h = createHarness()
    for (const id of ['u1', 'u2', 'u3', 'u4']) await h.ingest('PUT', `/v1/users/${id}`, { name: `用户${id}` })
    await h.ingest('PUT', '/v1/groups/g1', { name: '产品研发部', ownerId: 'u1' })
    await h.ingest('PUT', '/v1/groups/g1/members/u2')
    for (let i = 1; i <= N; i++) {
      if (i === 21) await h.ingest('PUT', '/v1/groups/g1/members/u3')
      const r = await h.ingest('POST', '/v1/messages', {
        messageId: `m${String(i).padStart(2, '0')}`,
        conversationId: 'g1',
        senderId: i % 2 ? 'u1' : 'u2',
        content: `第 ${i} 条消息 message ${i}`,
        sentAt: T0 + i * 1000,
      })
      sent.push(expectJson(r, 201))
    }
  })

  it('newest first, 30 by default, with the fields of a history message and nextBefore', async () => {
    const page = expectJson(await h.get('u1', '/v1/conversations/g1/messages'), 200)
    expect(page.hits).toHaveLength(30)
    expect(ids(page.hits)).toEqual(
      sent
        .slice(-30)
        .map((m) => m.messageId)
        .reverse(),
    )
    expect(page.hits[0]).toEqual({
      messageId: 'm45',
      conversationId: 'g1',
      sequenceId: sent[44]?.sequenceId,
      senderId: 'u1',
      type: 'text',
      content: '第 45 条消息 message 45',
      sentAt: T0 + 45_000,
      mentions: [],
      mentionAll: false,
      attachments: [],
    })
    expect(page.hits[0]).not.toHaveProperty('recipients')
    expect(page.nextBefore).toBe(page.hits[29].sequenceId)
  })

  it('`before` pages back without skips or repeats; the last page has no nextBefore', async () => {
    const seen: string[] = []
    let before: number | undefined
    for (let guard = 0; guard < 10; guard++) {
      const page = expectJson(
        await h.get('u2', `/v1/conversations/g1/messages${qs({ before, limit: 7 })}`),
        200,
      )
      expect(page.hits.length).toBeLessThanOrEqual(7)
      seen.push(...ids(page.hits))
      const s = seqs(page.hits)
      expect([...s].sort((a, b) => b - a)).toEqual(s)
      if (page.nextBefore === undefined) break
      before = page.nextBefore
    }
    expect(seen).toEqual(sent.map((m) => m.messageId).reverse())
    // `before` is exclusive.
    const at = sent[9]?.sequenceId
    const page = expectJson(
      await h.get('u1', `/v1/conversations/g1/messages${qs({ before: at, limit: 3 })}`),
      200,
    )
    expect(ids(page.hits)).toEqual(['m09', 'm08', 'm07'])
  })

  it('a late joiner never sees earlier messages, and pages end where their view ends', async () => {
    const page = expectJson(await h.get('u3', `/v1/conversations/g1/messages${qs({ limit: 100 })}`), 200)
    expect(ids(page.hits)).toEqual(
      sent
        .slice(20)
        .map((m) => m.messageId)
        .reverse(),
    )
    expect(page.nextBefore).toBeUndefined()
    const older = await h.get('u3', `/v1/conversations/g1/messages${qs({ before: sent[20]?.sequenceId })}`)
    expect(expectJson(older, 200).hits).toEqual([])
    // Opening an earlier message in context is refused: u3 cannot see it.
    expectProblem(
      await h.get('u3', `/v1/conversations/g1/messages${qs({ around: sent[5]?.sequenceId })}`),
      404,
    )
  })

  it('`around` returns the message with those around it, newest first', async () => {
    const centre = sent[19]?.sequenceId ?? -1
    const page = expectJson(
      await h.get('u1', `/v1/conversations/g1/messages${qs({ around: centre, limit: 5 })}`),
      200,
    )
    expect(ids(page.hits)).toEqual(['m22', 'm21', 'm20', 'm19', 'm18'])
    expect(page.nextBefore).toBe(sent[17]?.sequenceId)
    expect(page.nextAfter).toBe(sent[21]?.sequenceId)
    // At the newest message there is nothing after.
    const newest = sent[44]?.sequenceId
    const end = expectJson(
      await h.get('u1', `/v1/conversations/g1/messages${qs({ around: newest, limit: 5 })}`),
      200,
    )
    expect(ids(end.hits)[0]).toBe('m45')
    expect(end.nextAfter).toBeUndefined()
    expectProblem(await h.get('u1', `/v1/conversations/g1/messages${qs({ around: 9999 })}`), 404)
  })

  it('404 for a conversation the caller cannot see or that does not exist', async () => {
    const p = expectProblem(await h.get('u4', '/v1/conversations/g1/messages'), 404)
    expect(p.detail).toContain('g1')
    expectProblem(await h.get('u1', '/v1/conversations/dm:u1:u9/messages'), 404)
  })

  it.each([
    ['limit=0', { limit: 0 }, 'query.limit'],
    ['limit=101', { limit: 101 }, 'query.limit'],
    ['before=-1', { before: -1 }, 'query.before'],
    ['before=abc', { before: 'abc' }, 'query.before'],
    ['around=1.5', { around: 1.5 }, 'query.around'],
  ])('400 for %s', async (_label, params, path) => {
    expectProblem(await h.get('u1', `/v1/conversations/g1/messages${qs(params)}`), 400, path)
  })
})

describe('history on the fixtures', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('u1 and u2 read their direct conversation, newest first; u6 gets a 404', async () => {
    for (const user of ['u1', 'u2']) {
      const page = expectJson(await h.get(user, '/v1/conversations/dm:u1:u2/messages'), 200)
      const list = ids(page.hits)
      expect(list.indexOf('m-anchor-02')).toBeLessThan(list.indexOf('m-anchor-01'))
      expect(page.hits.find((m: { messageId: string }) => m.messageId === 'm-anchor-02')).toMatchObject({
        senderId: 'u2',
        content: '我家在上海东边',
        sentAt: Date.parse('2025-02-14T12:30:05.123Z'),
      })
    }
    expectProblem(await h.get('u6', '/v1/conversations/dm:u1:u2/messages'), 404)
  })

  it('the private g2 is a 404 for u2, u6 and u10; its members read it', async () => {
    for (const outsider of ['u2', 'u6', 'u10'])
      expectProblem(await h.get(outsider, '/v1/conversations/g2/messages'), 404)
    const all: string[] = []
    let before: number | undefined
    do {
      const page = expectJson(
        await h.get('u1', `/v1/conversations/g2/messages${qs({ before, limit: 100 })}`),
        200,
      )
      all.push(...ids(page.hits))
      before = page.nextBefore
    } while (before !== undefined)
    expect(all).toContain('m-anchor-04')
    expect(all).toContain('m-anchor-07')
  })

  it('u10, who joined g1 late, sees m-anchor-08 but never m-anchor-03', async () => {
    const all: string[] = []
    let before: number | undefined
    do {
      const page = expectJson(
        await h.get('u10', `/v1/conversations/g1/messages${qs({ before, limit: 100 })}`),
        200,
      )
      all.push(...ids(page.hits))
      before = page.nextBefore
    } while (before !== undefined)
    expect(all).toContain('m-anchor-08')
    expect(all).not.toContain('m-anchor-03')
    // u1 does see m-anchor-03, and can open it in context; u10 cannot.
    const hit = expectJson(await h.get('u1', `/v1/search/messages${qs({ q: '认证系统使用JWT令牌' })}`), 200)
      .hits[0]
    expect(hit.messageId).toBe('m-anchor-03')
    const context = expectJson(
      await h.get('u1', `/v1/conversations/g1/messages${qs({ around: hit.sequenceId, limit: 9 })}`),
      200,
    )
    expect(ids(context.hits)[4]).toBe('m-anchor-03')
    expectProblem(await h.get('u10', `/v1/conversations/g1/messages${qs({ around: hit.sequenceId })}`), 404)
  })

  it('the silent user u8 has no conversation to read', async () => {
    expectProblem(await h.get('u8', '/v1/conversations/g1/messages'), 404)
    expectProblem(await h.get('u8', '/v1/conversations/dm:u1:u8/messages'), 404)
  })
})
