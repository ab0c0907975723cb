/**
 * Issue 13, "search the way IM clients do", through HTTP on the embedded backend: mentions and
 * attachments in and out, attachment names searched by the matching rule, operators, facets,
 * chats grouped, the one box, and the 400s that name the field and the operator. The permission
 * suite (test/permission) checks the same endpoints against the oracle in random worlds.
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

const DAY = 86_400_000
const get = (h: Harness, user: string, path: string, params: Record<string, string | number | undefined>) =>
  h.get(user, `${path}${qs(params)}`)
const ids = (hits: { messageId: string }[]) => hits.map((x) => x.messageId).sort()

async function world(): Promise<Harness> {
  const h = createHarness()
  for (const [id, name] of [
    ['u1', '张伟'],
    ['u2', 'Alice Johnson'],
    ['u3', '王芳'],
    ['u4', 'Bob'],
  ])
    expectJson(await h.ingest('PUT', `/v1/users/${id}`, { name }), 201)
  expectJson(await h.ingest('PUT', '/v1/groups/g1', { name: '预算小组', ownerId: 'u1' }), 201)
  expectJson(await h.ingest('PUT', '/v1/groups/g1/members/u2'), 201)
  expectJson(
    await h.ingest('PUT', '/v1/groups/g2', { name: 'Budget secret', ownerId: 'u3', visibility: 'private' }),
    201,
  )
  expectJson(await h.ingest('PUT', '/v1/users/u1/contacts/u2', { nickname: '小爱' }), 200)
  const post = async (body: Record<string, unknown>) =>
    expectJson(await h.ingest('POST', '/v1/messages', { type: 'text', ...body }), 201)
  await post({
    messageId: 'a1',
    conversationId: 'g1',
    senderId: 'u2',
    content: '请看附件',
    sentAt: T0 + 1000,
    mentions: ['u1', 'u1'],
    attachments: [{ name: 'Q3预算.xlsx', kind: 'file', size: 2048 }],
  })
  await post({
    messageId: 'a2',
    conversationId: 'g1',
    senderId: 'u1',
    content: '预算见 https://example.com/q3 谢谢',
    sentAt: T0 + DAY + 1000,
    mentionAll: true,
  })
  await post({
    messageId: 'a3',
    conversationId: 'dm:u1:u3',
    senderId: 'u3',
    recipients: ['u1'],
    content: 'budget photo',
    sentAt: T0 + 2 * DAY,
    attachments: [{ name: 'team.png', kind: 'image' }],
  })
  await post({
    messageId: 'a4',
    conversationId: 'g2',
    senderId: 'u3',
    content: '预算 secret',
    sentAt: T0 + 3,
  })
  return h
}

describe('issue 13: messages carry mentions, attachments and links', () => {
  let h: Harness
  beforeAll(async () => {
    h = await world()
  })

  it('mentions (deduplicated), mentionAll and attachments come back in hits and history, with senderName', async () => {
    const body = expectJson(await get(h, 'u1', '/v1/search/messages', { q: '附件' }), 200)
    expect(body.hits).toEqual([
      expect.objectContaining({
        messageId: 'a1',
        senderId: 'u2',
        senderName: 'Alice Johnson',
        mentions: ['u1'],
        mentionAll: false,
        attachments: [{ name: 'Q3预算.xlsx', kind: 'file', size: 2048 }],
      }),
    ])
    const history = expectJson(await h.get('u1', '/v1/conversations/g1/messages'), 200)
    expect(history.hits.map((m: { mentionAll: boolean }) => m.mentionAll)).toEqual([true, false])
    expect(history.hits[1]).toMatchObject({ mentions: ['u1'], attachments: [{ name: 'Q3预算.xlsx' }] })
  })

  it('an attachment name is searched by the matching rule: 预算 finds Q3预算.xlsx, xlsx q3 does not', async () => {
    expect(ids(expectJson(await get(h, 'u1', '/v1/search/messages', { q: '预算' }), 200).hits)).toEqual([
      'a1',
      'a2',
    ])
    expect(expectJson(await get(h, 'u1', '/v1/search/messages', { q: '"xlsx q3"' }), 200).total).toBe(0)
    expect(ids(expectJson(await get(h, 'u1', '/v1/search/messages', { q: 'q3预算' }), 200).hits)).toEqual([
      'a1',
    ])
  })

  it('the sender who no longer exists has a null senderName', async () => {
    const h2 = await world()
    expect((await h2.ingest('DELETE', '/v1/users/u3')).status).toBe(204)
    const hit = expectJson(await get(h2, 'u1', '/v1/search/messages', { q: 'budget' }), 200).hits[0]
    expect(hit).toMatchObject({ messageId: 'a3', senderName: null })
  })

  it('the batch takes mentions and attachments per item, each bad item a 400 naming its field', async () => {
    const item = { conversationId: 'g1', senderId: 'u1', content: '批量', mentions: ['u2'] }
    const reply = await h.ingest('POST', '/v1/messages/batch', {
      messages: [
        { ...item, messageId: 'b1', attachments: [{ name: '批量 report.pdf', kind: 'file' }] },
        { ...item, messageId: 'b2', attachments: [{ name: 'x', kind: 'pdf' }] },
      ],
    })
    const { results } = expectJson(reply, 200)
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 400])
    expect(JSON.stringify(results[1].problem.errors)).toContain('messages[1].attachments[0].kind')
    const hit = expectJson(await get(h, 'u2', '/v1/search/messages', { q: 'report is:mentioned' }), 200)
    expect(hit.hits.map((x: { messageId: string }) => x.messageId)).toEqual(['b1'])
  })

  it('the same message id again with other mentions or attachments is a 409', async () => {
    const body = {
      messageId: 'a1',
      conversationId: 'g1',
      senderId: 'u2',
      content: '请看附件',
      sentAt: T0 + 1000,
    }
    expectProblem(await h.ingest('POST', '/v1/messages', { ...body, mentions: ['u1'] }), 409)
    const same = {
      ...body,
      mentions: ['u1'],
      attachments: [{ name: 'Q3预算.xlsx', kind: 'file', size: 2048 }],
    }
    expect((await h.ingest('POST', '/v1/messages', same)).status).toBe(200)
  })

  it('a message with too many mentions or attachments, or a bad attachment, is a 400 naming the field', async () => {
    const base = { messageId: 'x', conversationId: 'g1', senderId: 'u1', content: 'x' }
    const many = Array.from({ length: 257 }, (_, i) => `u${i}`)
    expectProblem(await h.ingest('POST', '/v1/messages', { ...base, mentions: many }), 400, 'body.mentions')
    const files = Array.from({ length: 21 }, () => ({ name: 'a', kind: 'file' }))
    expectProblem(
      await h.ingest('POST', '/v1/messages', { ...base, attachments: files }),
      400,
      'body.attachments',
    )
    expectProblem(
      await h.ingest('POST', '/v1/messages', { ...base, attachments: [{ name: '', kind: 'file' }] }),
      400,
      'body.attachments[0].name',
    )
    expectProblem(
      await h.ingest('POST', '/v1/messages', { ...base, attachments: [{ name: 'a', kind: 'doc' }] }),
      400,
      'body.attachments[0].kind',
    )
  })
})

describe('issue 13: operators', () => {
  let h: Harness
  beforeAll(async () => {
    h = await world()
  })
  const found = async (user: string, q: string, extra: Record<string, string> = {}) =>
    ids(expectJson(await get(h, user, '/v1/search/messages', { q, limit: 100, ...extra }), 200).hits)

  it('from:, in:, has:, is:mentioned, -term and -"phrase", alone or with terms', async () => {
    expect(await found('u1', 'from:u2')).toEqual(['a1'])
    expect(await found('u1', 'from:u2 from:u3')).toEqual(['a1', 'a3'])
    expect(await found('u1', 'in:g1')).toEqual(['a1', 'a2'])
    expect(await found('u1', 'in:g1 in:dm:u1:u3')).toEqual([])
    expect(await found('u1', 'has:link')).toEqual(['a2'])
    expect(await found('u1', 'has:file')).toEqual(['a1'])
    expect(await found('u1', 'has:image budget')).toEqual(['a3'])
    expect(await found('u1', 'has:video')).toEqual([])
    expect(await found('u1', 'has:mention')).toEqual(['a1', 'a2'])
    expect(await found('u1', 'is:mentioned')).toEqual(['a1', 'a2'])
    expect(await found('u2', 'is:mentioned')).toEqual(['a2'])
    expect(await found('u1', '预算 -附件')).toEqual(['a2'])
    expect(await found('u1', '预算 -"q3预算"')).toEqual(['a2'])
    expect(await found('u1', '-预算')).toEqual(['a3'])
    expect(await found('u1', 'foo:bar')).toEqual([])
  })

  it('dates: after: inclusive, before: exclusive, during: the day, in tz or as epoch ms', async () => {
    expect(await found('u1', 'after:2025-01-02')).toEqual(['a2', 'a3'])
    expect(await found('u1', 'before:2025-01-02')).toEqual(['a1'])
    expect(await found('u1', 'during:2025-01-02')).toEqual(['a2'])
    expect(await found('u1', `during:${T0 + DAY + 5}`)).toEqual(['a2'])
    expect(await found('u1', `after:${T0 + DAY + 1000}`)).toEqual(['a2', 'a3'])
    // Midnight in Shanghai is 16:00 UTC the day before: 2025-01-02 there starts at T0 + 16 h.
    expect(await found('u1', 'during:2025-01-02', { tz: 'Asia/Shanghai' })).toEqual(['a2'])
    expect(await found('u1', 'during:2025-01-01', { tz: 'Asia/Shanghai' })).toEqual(['a1'])
    expect(await found('u1', 'during:2024-12-31', { tz: 'America/Los_Angeles' })).toEqual(['a1'])
  })

  it.each([
    ['after:2025-13-40', 'after'],
    ['before:yesterday', 'before'],
    ['during:2025-02-30', 'during'],
    ['has:pdf', 'has'],
    ['is:starred', 'is'],
    ['from:a/b', 'from'],
    ['in:', 'in'],
  ])('a malformed operator value (%s) is a 400 naming query.q and the operator', async (q, operator) => {
    for (const path of ['/v1/search/messages', '/v1/search/conversations', '/v1/search']) {
      const p = expectProblem(await get(h, 'u1', path, { q: decodeURIComponent(q) }), 400, 'query.q')
      expect(JSON.stringify(p.errors)).toContain(operator)
    }
  })

  it('a bad tz or facet is a 400 naming it', async () => {
    expectProblem(await get(h, 'u1', '/v1/search/messages', { q: 'x', tz: 'Mars/Olympus' }), 400, 'query.tz')
    expectProblem(await get(h, 'u1', '/v1/search/messages', { facets: 'sender,colour' }), 400, 'query.facets')
    expectProblem(await get(h, 'u1', '/v1/search', { q: '' }), 400, 'query.q')
    expectProblem(await get(h, 'u1', '/v1/search', {}), 400, 'query.q')
    expectProblem(await get(h, 'u1', '/v1/search', { q: 'x', limit: 21 }), 400, 'query.limit')
  })
})

describe('issue 13: facets, chats grouped, one box', () => {
  let h: Harness
  beforeAll(async () => {
    h = await world()
  })

  it('facets count every match the caller may see, by count then value; day in tz', async () => {
    const body = expectJson(
      await get(h, 'u1', '/v1/search/messages', { facets: 'conversation,sender,type,day', limit: 1 }),
      200,
    )
    expect(body.total).toBe(3)
    expect(body.facets).toEqual({
      conversation: [
        { value: 'g1', count: 2 },
        { value: 'dm:u1:u3', count: 1 },
      ],
      sender: [
        { value: 'u1', count: 1 },
        { value: 'u2', count: 1 },
        { value: 'u3', count: 1 },
      ],
      type: [{ value: 'text', count: 3 }],
      day: [
        { value: '2025-01-01', count: 1 },
        { value: '2025-01-02', count: 1 },
        { value: '2025-01-03', count: 1 },
      ],
    })
    // The next page continues the same search, asked with or without facets.
    const next = expectJson(
      await get(h, 'u1', '/v1/search/messages', { limit: 1, cursor: body.nextCursor }),
      200,
    )
    expect(next).not.toHaveProperty('facets')
    expect(next.hits).toHaveLength(1)
    const shanghai = expectJson(
      await get(h, 'u1', '/v1/search/messages', { facets: 'day', tz: 'Asia/Shanghai', q: 'from:u2' }),
      200,
    )
    expect(shanghai.facets).toEqual({ day: [{ value: '2025-01-01', count: 1 }] })
  })

  it('conversation search: one hit per chat with matches, latest and title, newest first', async () => {
    const body = expectJson(await get(h, 'u1', '/v1/search/conversations', { q: '-nothing', limit: 1 }), 200)
    expect(body.total).toBe(2)
    expect(body.hits).toEqual([
      expect.objectContaining({
        conversationId: 'dm:u1:u3',
        conversationType: 'single',
        title: '王芳',
        matches: 1,
        latest: expect.objectContaining({ messageId: 'a3', senderName: '王芳' }),
      }),
    ])
    const next = expectJson(
      await get(h, 'u1', '/v1/search/conversations', { q: '-nothing', limit: 1, cursor: body.nextCursor }),
      200,
    )
    expect(next.hits).toEqual([
      expect.objectContaining({
        conversationId: 'g1',
        title: '预算小组',
        matches: 2,
        conversationType: 'group',
      }),
    ])
    expect(next).not.toHaveProperty('nextCursor')
    // u3 sees the private group's message and its name; u1 never sees either.
    const u3 = expectJson(await get(h, 'u3', '/v1/search/conversations', { q: '预算' }), 200)
    expect(u3.hits.map((x: { title: string }) => x.title)).toEqual(['Budget secret'])
  })

  it('the one box: contacts, my groups and chats, limit default 3, each with a cursor to its full search', async () => {
    const box = expectJson(await get(h, 'u1', '/v1/search', { q: '预算' }), 200)
    expect(box.contacts).toEqual({ hits: [], total: 0 })
    expect(box.groups).toMatchObject({ hits: [{ groupId: 'g1', name: '预算小组' }], total: 1 })
    expect(box.conversations).toMatchObject({ total: 1, hits: [{ conversationId: 'g1', matches: 2 }] })
    const alice = expectJson(await get(h, 'u1', '/v1/search', { q: '小爱', limit: 1 }), 200)
    expect(alice.contacts).toMatchObject({ hits: [{ userId: 'u2', nickname: '小爱' }], total: 1 })
    // u2 is not in the private group g2: no section shows it, to anyone but its members.
    const secret = expectJson(await get(h, 'u2', '/v1/search', { q: 'budget' }), 200)
    expect(secret.groups.total).toBe(0)
    expect(secret.conversations.total).toBe(0)
  })

  it("the contacts' and groups' nextCursor continue on /v1/me/contacts and /v1/search/groups?member=true", async () => {
    const h2 = await world()
    expectJson(await h2.ingest('PUT', '/v1/users/u1/contacts/u4', { nickname: '小爱二号' }), 200)
    expectJson(await h2.ingest('PUT', '/v1/groups/g3', { name: '预算二组', ownerId: 'u1' }), 201)
    const box = expectJson(await get(h2, 'u1', '/v1/search', { q: '小爱 预算', limit: 1 }), 200)
    expect(box.contacts.total).toBe(0) // the name rules match the text as a whole: no name holds both
    const names = expectJson(await get(h2, 'u1', '/v1/search', { q: '小爱', limit: 1 }), 200)
    expect(names.contacts.total).toBe(2)
    const contacts = expectJson(
      await get(h2, 'u1', '/v1/me/contacts', { q: '小爱', limit: 1, cursor: names.contacts.nextCursor }),
      200,
    )
    expect(contacts.hits).toHaveLength(1)
    expect(contacts.hits[0].userId).not.toBe(names.contacts.hits[0].userId)
    const groups = expectJson(await get(h2, 'u1', '/v1/search', { q: '预算', limit: 1 }), 200).groups
    expect(groups.total).toBe(2)
    const rest = expectJson(
      await get(h2, 'u1', '/v1/search/groups', {
        q: '预算',
        member: 'true',
        limit: 1,
        cursor: groups.nextCursor,
      }),
      200,
    )
    expect(rest.hits.map((g: { groupId: string }) => g.groupId)).not.toContain(groups.hits[0].groupId)
    expect(rest.total).toBe(2)
  })

  it("a section's nextCursor continues on its full endpoint", async () => {
    const box = expectJson(await get(h, 'u1', '/v1/search', { q: '-nothing', limit: 1 }), 200)
    expect(box.conversations.nextCursor).toEqual(expect.any(String))
    const rest = expectJson(
      await get(h, 'u1', '/v1/search/conversations', {
        q: '-nothing',
        limit: 1,
        cursor: box.conversations.nextCursor,
      }),
      200,
    )
    expect(rest.hits.map((x: { conversationId: string }) => x.conversationId)).toEqual(['g1'])
  })
})

describe('issue 13 on the fixtures (anchor records)', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('u1 finds the quarterly report by its attachment, the link and the mention by operator', async () => {
    const pdf = expectJson(await get(h, 'u1', '/v1/search/messages', { q: '季度报告 has:file from:u4' }), 200)
    expect(pdf.hits.map((x: { messageId: string }) => x.messageId)).toEqual(['m-anchor-06'])
    expect(pdf.hits[0].attachments).toEqual([{ name: '季度报告.pdf', kind: 'file', size: 482_133 }])
    const link = expectJson(
      await get(h, 'u1', '/v1/search/messages', { q: '"review 一下 PR" has:link in:g1 during:2025-11-03' }),
      200,
    )
    expect(link.hits.map((x: { messageId: string }) => x.messageId)).toEqual(['m-anchor-12'])
    const u7 = expectJson(
      await get(h, 'u7', '/v1/search/messages', { q: 'is:mentioned during:2025-11-03' }),
      200,
    )
    expect(u7.hits.map((x: { messageId: string }) => x.messageId)).toEqual(['m-anchor-12'])
  })
})
