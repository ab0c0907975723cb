/**
 * `POST /v1/messages`, `POST /v1/messages/batch` and `DELETE /v1/messages/{messageId}` (issue 4):
 * receipts and sequence ids, idempotency, conflicts, recipients at send time, and recall.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { createHarness, expectJson, expectProblem, type Harness, qs, T0 } from './harness.ts'

const ids = (hits: { messageId: string }[]) => hits.map((x) => x.messageId)

/** u1 owns g1 (u1, u2); u3 is outside; a direct conversation dm:u1:u3. */
async function world(): Promise<Harness> {
  const h = createHarness()
  for (const [id, name] of [
    ['u1', '张伟'],
    ['u2', '王芳'],
    ['u3', 'Alice Johnson'],
  ])
    await h.ingest('PUT', `/v1/users/${id}`, { name })
  await h.ingest('PUT', '/v1/groups/g1', { name: '前端技术交流群', ownerId: 'u1' })
  await h.ingest('PUT', '/v1/groups/g1/members/u2')
  return h
}

describe('POST /v1/messages', () => {
  let h: Harness
  beforeEach(async () => {
    h = await world()
  })

  it('201 with the receipt; sequence ids increase per conversation', async () => {
    const a = {
      messageId: 'm1',
      conversationId: 'g1',
      senderId: 'u1',
      content: '认证系统使用JWT令牌',
      sentAt: T0 + 1,
    }
    expect(expectJson(await h.ingest('POST', '/v1/messages', a), 201)).toEqual({
      messageId: 'm1',
      conversationId: 'g1',
      sequenceId: expect.any(Number),
    })
    const seqs: Record<string, number[]> = { g1: [], 'dm:u1:u3': [] }
    for (let i = 2; i <= 7; i++) {
      const conversationId = i % 2 === 0 ? 'g1' : 'dm:u1:u3'
      const body = {
        messageId: `m${i}`,
        conversationId,
        senderId: 'u1',
        content: `message ${i} 第${i}条`,
        sentAt: T0 + i,
        ...(conversationId === 'g1' ? {} : { recipients: ['u3'] }),
      }
      const receipt = expectJson(await h.ingest('POST', '/v1/messages', body), 201)
      expect(receipt).toMatchObject({ messageId: `m${i}`, conversationId })
      seqs[conversationId]?.push(receipt.sequenceId)
    }
    for (const list of Object.values(seqs)) {
      expect(list).toHaveLength(3)
      expect([...list].sort((x, y) => x - y)).toEqual(list)
      expect(new Set(list).size).toBe(3)
    }
  })

  it('the same message again answers 200 with the same body and stores nothing new', async () => {
    const msg = {
      messageId: 'm1',
      conversationId: 'g1',
      senderId: 'u2',
      content: '今天谁使用表格存储了',
      sentAt: T0 + 5,
    }
    const first = expectJson(await h.ingest('POST', '/v1/messages', msg), 201)
    const again = expectJson(await h.ingest('POST', '/v1/messages', msg), 200)
    expect(again).toEqual(first)
    // Without sentAt, the stored message is still the same one.
    const { sentAt: _s, ...withoutTime } = msg
    expect(expectJson(await h.ingest('POST', '/v1/messages', withoutTime), 200)).toEqual(first)
    const search = expectJson(await h.get('u1', `/v1/search/messages${qs({ q: '表格存储' })}`), 200)
    expect(search.total).toBe(1)
    expect(expectJson(await h.get('u1', '/v1/conversations/g1/messages'), 200).hits).toHaveLength(1)
  })

  it('409 for the same id with different content, sender, type or conversation', async () => {
    const msg = { messageId: 'm1', conversationId: 'g1', senderId: 'u1', content: '你好', sentAt: T0 + 5 }
    expectJson(await h.ingest('POST', '/v1/messages', msg), 201)
    for (const change of [
      { content: '你好!' },
      { senderId: 'u2' },
      { type: 'image' },
      { sentAt: T0 + 6 },
      { conversationId: 'dm:u1:u3', recipients: ['u3'] },
    ]) {
      const p = expectProblem(await h.ingest('POST', '/v1/messages', { ...msg, ...change }), 409)
      expect(p.detail).toContain('m1')
    }
    const history = expectJson(await h.get('u1', '/v1/conversations/g1/messages'), 200)
    expect(history.hits).toEqual([
      expect.objectContaining({ messageId: 'm1', content: '你好', senderId: 'u1' }),
    ])
  })

  it('403 when the sender is not a member of the group; nothing is stored', async () => {
    const msg = { messageId: 'm1', conversationId: 'g1', senderId: 'u3', content: 'let me in' }
    expectProblem(await h.ingest('POST', '/v1/messages', msg), 403)
    expectProblem(await h.get('u1', '/v1/conversations/g1/messages'), 404)
  })

  it('400 for a direct message without recipients, naming recipients', async () => {
    const msg = { messageId: 'm1', conversationId: 'dm:u1:u3', senderId: 'u1', content: '在吗' }
    expectProblem(await h.ingest('POST', '/v1/messages', msg), 400, 'recipients')
  })

  it.each([
    ['missing content', { content: undefined }, 'body.content'],
    ['missing messageId', { messageId: undefined }, 'body.messageId'],
    ['an id with a space', { messageId: 'm 1' }, 'body.messageId'],
    ['a type with capitals', { type: 'Image' }, 'body.type'],
    ['a negative sentAt', { sentAt: -1 }, 'body.sentAt'],
    ['a fractional sentAt', { sentAt: 1.5 }, 'body.sentAt'],
    ['empty recipients', { recipients: [] }, 'body.recipients'],
    ['content over 16 KiB', { content: '字'.repeat(16_385) }, 'body.content'],
  ])('400 for %s', async (_label, change, path) => {
    const msg = {
      messageId: 'm1',
      conversationId: 'dm:u1:u3',
      senderId: 'u1',
      content: '在吗',
      recipients: ['u3'],
      ...change,
    }
    expectProblem(await h.ingest('POST', '/v1/messages', msg), 400, path)
    expectProblem(await h.get('u1', '/v1/conversations/dm:u1:u3/messages'), 404)
  })

  it('the recipients of a group message are the members at send time', async () => {
    const send = (id: string, content: string, sentAt: number) =>
      h.ingest('POST', '/v1/messages', {
        messageId: id,
        conversationId: 'g1',
        senderId: 'u1',
        content,
        sentAt,
      })
    expectJson(await send('early', '上线前的消息 deploy', T0 + 10), 201)
    await h.ingest('PUT', '/v1/groups/g1/members/u3')
    expectJson(await send('late', '上线后的消息 deploy', T0 + 20), 201)
    await h.ingest('DELETE', '/v1/groups/g1/members/u2')
    expectJson(await send('after-leave', '退群后的消息 deploy', T0 + 30), 201)

    const seen = async (user: string) =>
      ids(
        expectJson(await h.get(user, `/v1/search/messages${qs({ q: 'deploy', sort: 'oldest' })}`), 200).hits,
      )
    expect(await seen('u1')).toEqual(['early', 'late', 'after-leave'])
    // u2 left: what they received stays theirs, nothing after.
    expect(await seen('u2')).toEqual(['early', 'late'])
    // u3 joined late: nothing from before.
    expect(await seen('u3')).toEqual(['late', 'after-leave'])
  })

  it('a direct message reaches the sender and the named recipients only', async () => {
    const msg = {
      messageId: 'd1',
      conversationId: 'dm:u1:u3',
      senderId: 'u3',
      content: "Let's grab coffee at 3pm",
      recipients: ['u1'],
    }
    expectJson(await h.ingest('POST', '/v1/messages', msg), 201)
    for (const user of ['u1', 'u3'])
      expect(
        ids(expectJson(await h.get(user, `/v1/search/messages${qs({ q: 'coffee' })}`), 200).hits),
      ).toEqual(['d1'])
    expect(expectJson(await h.get('u2', `/v1/search/messages${qs({ q: 'coffee' })}`), 200)).toEqual({
      hits: [],
      total: 0,
    })
  })
})

describe('POST /v1/messages/batch', () => {
  let h: Harness
  beforeEach(async () => {
    h = await world()
  })

  it('one result per item, in order, with partial success', async () => {
    const good = {
      messageId: 'b1',
      conversationId: 'g1',
      senderId: 'u1',
      content: '帮我 review 一下 PR',
      sentAt: T0 + 1,
    }
    const reply = await h.ingest('POST', '/v1/messages/batch', {
      messages: [
        good,
        { messageId: 'b2', conversationId: 'g1', senderId: 'u1' },
        good,
        { ...good, content: '改过的内容' },
        { messageId: 'b3', conversationId: 'g1', senderId: 'u3', content: 'not a member' },
        { messageId: 'b4', conversationId: 'dm:u1:u2', senderId: 'u2', content: '收到' },
        {
          messageId: 'b5',
          conversationId: 'dm:u1:u2',
          senderId: 'u2',
          content: '收到 review',
          recipients: ['u1'],
          sentAt: T0 + 2,
        },
        'not an object',
      ],
    })
    const { results } = expectJson(reply, 200)
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 400, 200, 409, 403, 400, 201, 400])
    expect(results[0]).toEqual({
      status: 201,
      receipt: { messageId: 'b1', conversationId: 'g1', sequenceId: expect.any(Number) },
    })
    expect(results[2]).toEqual({ status: 200, receipt: results[0].receipt })
    expect(results[1].problem).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: 'messages[1].content' })],
    })
    expect(results[5].problem).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ path: 'recipients' })],
    })
    for (const i of [3, 4])
      expect(results[i].problem).toMatchObject({ status: results[i].status, type: expect.any(String) })
    expect(results[6].receipt).toMatchObject({ messageId: 'b5', conversationId: 'dm:u1:u2' })

    const found = expectJson(
      await h.get('u1', `/v1/search/messages${qs({ q: 'review', sort: 'oldest' })}`),
      200,
    )
    expect(ids(found.hits)).toEqual(['b1', 'b5'])
    expect(found.hits[0].content).toBe('帮我 review 一下 PR')
  })

  it('400 for more than 500 items, for none, and for a body without messages', async () => {
    const many = Array.from({ length: 501 }, (_, i) => ({
      messageId: `x${i}`,
      conversationId: 'g1',
      senderId: 'u1',
      content: `第${i}条`,
    }))
    expectProblem(await h.ingest('POST', '/v1/messages/batch', { messages: many }), 400, 'body.messages')
    expectProblem(await h.ingest('POST', '/v1/messages/batch', { messages: [] }), 400, 'body.messages')
    expectProblem(await h.ingest('POST', '/v1/messages/batch', { message: [] }), 400, 'body.messages')
    expectProblem(await h.get('u1', '/v1/conversations/g1/messages'), 404)
  })

  it('exactly 500 items are accepted', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      messageId: `x${i}`,
      conversationId: 'g1',
      senderId: 'u1',
      content: `第${i}条 batch`,
      sentAt: T0 + i,
    }))
    const { results } = expectJson(await h.ingest('POST', '/v1/messages/batch', { messages: many }), 200)
    expect(results).toHaveLength(500)
    expect(results.every((r: { status: number }) => r.status === 201)).toBe(true)
    expect(expectJson(await h.get('u2', `/v1/search/messages${qs({ q: 'batch' })}`), 200).total).toBe(500)
  })
})

describe('DELETE /v1/messages/{messageId} (recall)', () => {
  it('204; the message is gone from search hits, totals and history for everyone; 404 after', async () => {
    const h = await world()
    for (let i = 1; i <= 3; i++)
      await h.ingest('POST', '/v1/messages', {
        messageId: `m${i}`,
        conversationId: 'g1',
        senderId: 'u2',
        content: `这个测试用例跑通了 #${i}`,
        sentAt: T0 + i,
      })
    const before = expectJson(await h.get('u1', `/v1/search/messages${qs({ q: '测试用例' })}`), 200)
    expect(before.total).toBe(3)

    const reply = await h.ingest('DELETE', '/v1/messages/m2')
    expect(reply.status).toBe(204)
    for (const user of ['u1', 'u2']) {
      const after = expectJson(
        await h.get(user, `/v1/search/messages${qs({ q: '测试用例', sort: 'oldest' })}`),
        200,
      )
      expect(ids(after.hits)).toEqual(['m1', 'm3'])
      expect(after.total).toBe(2)
      const listed = expectJson(await h.get(user, '/v1/search/messages'), 200)
      expect(ids(listed.hits)).toEqual(['m3', 'm1'])
      expect(listed.total).toBe(2)
      const history = expectJson(await h.get(user, '/v1/conversations/g1/messages'), 200)
      expect(ids(history.hits)).toEqual(['m3', 'm1'])
    }
    expectProblem(await h.ingest('DELETE', '/v1/messages/m2'), 404)
    expectProblem(await h.ingest('DELETE', '/v1/messages/never-sent'), 404)
    expectProblem(await h.ingest('DELETE', '/v1/messages/bad%20id'), 400, 'params.messageId')
  })

  it('recalling the only message makes the conversation a 404', async () => {
    const h = await world()
    await h.ingest('POST', '/v1/messages', {
      messageId: 'd1',
      conversationId: 'dm:u1:u2',
      senderId: 'u1',
      content: '你家在哪儿来着？',
      recipients: ['u2'],
    })
    expect(expectJson(await h.get('u2', '/v1/conversations/dm:u1:u2/messages'), 200).hits).toHaveLength(1)
    expect((await h.ingest('DELETE', '/v1/messages/d1')).status).toBe(204)
    expectProblem(await h.get('u2', '/v1/conversations/dm:u1:u2/messages'), 404)
    expect(expectJson(await h.get('u2', `/v1/search/messages${qs({ q: '你家' })}`), 200)).toEqual({
      hits: [],
      total: 0,
    })
  })
})
