/**
 * `GET /v1/search/messages` (issue 4): the matching rule in Chinese and English, filters, sorts,
 * limits, signed cursors, highlights, and "only messages whose recipients include the caller".
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

type Hit = { messageId: string; sentAt: number; score: number; sequenceId: number }
const ids = (hits: Hit[]) => hits.map((x) => x.messageId)
const search = (h: Harness, user: string, params: Record<string, string | number | undefined>) =>
  h.get(user, `/v1/search/messages${qs(params)}`)

describe('message search on the fixtures (anchor records)', () => {
  let h: Harness
  beforeAll(async () => {
    h = await createFixtureHarness()
  })

  it('u1 finds 上海东边 in m-anchor-02 with every hit field; u6 finds nothing', async () => {
    const body = expectJson(await search(h, 'u1', { q: '上海东边' }), 200)
    expect(body).toEqual({
      hits: [
        {
          messageId: 'm-anchor-02',
          conversationId: 'dm:u1:u2',
          sequenceId: expect.any(Number),
          senderId: 'u2',
          senderName: expect.any(String),
          type: 'text',
          content: '我家在上海东边',
          sentAt: Date.parse('2025-02-14T12:30:05.123Z'),
          mentions: [],
          mentionAll: false,
          attachments: [],
          score: expect.any(Number),
          highlight: '我家在<em>上海东边</em>',
        },
      ],
      total: 1,
    })
    expect(body).not.toHaveProperty('nextCursor')
    expect(expectJson(await search(h, 'u6', { q: '上海东边' }), 200)).toEqual({ hits: [], total: 0 })
  })

  it('the matching rule: characters must be contiguous and in order; every term must match', async () => {
    expect(ids(expectJson(await search(h, 'u1', { q: '上海 东边' }), 200).hits)).toEqual(['m-anchor-02'])
    expect(ids(expectJson(await search(h, 'u1', { q: '东边 上海' }), 200).hits)).toEqual(['m-anchor-02'])
    expect(expectJson(await search(h, 'u1', { q: '东边上海' }), 200).total).toBe(0)
    expect(expectJson(await search(h, 'u1', { q: '"上海 东边"' }), 200).total).toBe(1)
    expect(expectJson(await search(h, 'u1', { q: '上海东边 coffee' }), 200).total).toBe(0)
    // Every hit holds the characters contiguously (random traffic also has "这个测试用例跑通了 👍").
    const hits = expectJson(await search(h, 'u1', { q: '测试用例跑通', limit: 100 }), 200).hits
    expect(ids(hits)).toContain('m-anchor-04')
    for (const hit of hits) expect(hit.content).toContain('测试用例跑通')
  })

  it('English is case-insensitive and matches whole words', async () => {
    const jwt = ids(expectJson(await search(h, 'u1', { q: 'jwt', limit: 100 }), 200).hits)
    expect(jwt).toEqual(expect.arrayContaining(['m-anchor-03', 'm-anchor-08']))
    const phrase = expectJson(await search(h, 'u1', { q: '"JWT with React"' }), 200)
    expect(ids(phrase.hits)).toEqual(['m-anchor-08'])
    expect(phrase.hits[0].highlight).toBe('Hi all, just joined 👋 anyone using <em>JWT with React</em>?')
    expect(
      expectJson(await search(h, 'u1', { q: 'Reac' }), 200).hits.map((x: Hit) => x.messageId),
    ).not.toContain('m-anchor-08')
  })

  it('表格存储 finds m-anchor-07 for u1; u2, u6 and u10 never see g2 messages', async () => {
    expect(ids(expectJson(await search(h, 'u1', { q: '今天谁使用表格存储' }), 200).hits)).toEqual([
      'm-anchor-07',
    ])
    for (const outsider of ['u2', 'u6', 'u10']) {
      for (const params of [{ q: '表格存储', limit: 100 }, { conversationId: 'g2' }, { q: '测试用例跑通' }]) {
        const body = expectJson(await search(h, outsider, params), 200)
        expect(body.hits.filter((x: { conversationId: string }) => x.conversationId === 'g2')).toEqual([])
        if ('conversationId' in params) expect(body).toEqual({ hits: [], total: 0 })
      }
    }
  })

  it('u10 searching JWT finds m-anchor-08 but never m-anchor-03 (joined g1 later)', async () => {
    const found = ids(expectJson(await search(h, 'u10', { q: 'JWT', limit: 100 }), 200).hits)
    expect(found).toContain('m-anchor-08')
    expect(found).not.toContain('m-anchor-03')
    expect(expectJson(await search(h, 'u10', { q: '认证系统使用JWT令牌' }), 200).total).toBe(0)
  })

  it('the silent user u8 sees no messages at all', async () => {
    expect(expectJson(await search(h, 'u8', {}), 200)).toEqual({ hits: [], total: 0 })
    expect(expectJson(await search(h, 'u8', { q: '的' }), 200)).toEqual({ hits: [], total: 0 })
  })

  it('u1 sees all five sample lines', async () => {
    for (const [q, id] of [
      ['我家在上海东边', 'm-anchor-02'],
      ['认证系统使用JWT令牌', 'm-anchor-03'],
      ['这个测试用例跑通了', 'm-anchor-04'],
      ['请帮我解析 PDF 文件', 'm-anchor-05'],
      ['今天谁使用表格存储了', 'm-anchor-07'],
    ]) {
      const hits = expectJson(await search(h, 'u1', { q: `"${q}"`, limit: 100 }), 200).hits
      // Exactly one message *is* the line (the fixture promise); others may contain it.
      expect(ids(hits.filter((x: { content: string }) => x.content === q))).toEqual([id])
    }
  })

  it('filters: conversationId, senderId and type on anchors', async () => {
    const files = expectJson(await search(h, 'u1', { conversationId: 'dm:u1:u4', type: 'file' }), 200)
    expect(ids(files.hits)).toContain('m-anchor-06')
    expect(files.hits.every((x: { type: string }) => x.type === 'file')).toBe(true)
    const images = expectJson(
      await search(h, 'u1', { q: '西湖', type: 'image', senderId: 'u2', limit: 100 }),
      200,
    )
    expect(ids(images.hits)).toContain('m-anchor-10')
    expect(
      images.hits.every((x: { senderId: string; type: string }) => x.senderId === 'u2' && x.type === 'image'),
    ).toBe(true)
  })
})

describe('message search in a tiny world', () => {
  let h: Harness
  /** 25 group messages with "deploy" in g1 (u1, u2), spaced a minute apart, plus others. */
  const DAY = 86_400_000
  beforeAll(async () => {
    h = createHarness()
    for (const id of ['u1', 'u2', 'u3']) await h.ingest('PUT', `/v1/users/${id}`, { name: `用户${id}` })
    await h.ingest('PUT', '/v1/groups/g1', { name: '运维群', ownerId: 'u1' })
    await h.ingest('PUT', '/v1/groups/g1/members/u2')
    const messages = []
    for (let i = 0; i < 25; i++)
      messages.push({
        messageId: `d${String(i).padStart(2, '0')}`,
        conversationId: 'g1',
        senderId: i % 2 ? 'u2' : 'u1',
        type: i % 5 === 0 ? 'file' : 'text',
        // Every fifth message says deploy twice: it ranks higher by relevance.
        content: i % 5 === 4 ? `deploy deploy 部署第${i}次` : `deploy 部署第${i}次`,
        sentAt: T0 + i * DAY,
      })
    messages.push(
      {
        messageId: 'x1',
        conversationId: 'dm:u1:u3',
        senderId: 'u3',
        content: '<script>alert("x")</script> & 5 > 3 部署 it',
        recipients: ['u1'],
        sentAt: T0 + 30 * DAY,
      },
      {
        messageId: 'x2',
        conversationId: 'dm:u2:u3',
        senderId: 'u3',
        content: 'secret deploy plan 秘密部署',
        recipients: ['u2'],
        sentAt: T0 + 31 * DAY,
      },
    )
    const { results } = expectJson(await h.ingest('POST', '/v1/messages/batch', { messages }), 200)
    expect(results.every((r: { status: number }) => r.status === 201)).toBe(true)
  })

  it('without q: newest first by default, 20 a page, everything the caller received', async () => {
    const body = expectJson(await search(h, 'u1', {}), 200)
    expect(body.total).toBe(26)
    expect(body.hits).toHaveLength(20)
    expect(body.hits[0].messageId).toBe('x1')
    const times = body.hits.map((x: Hit) => x.sentAt)
    expect([...times].sort((a, b) => b - a)).toEqual(times)
    expect(typeof body.nextCursor).toBe('string')
    // u1 never sees x2 (between u2 and u3).
    expect(ids(body.hits)).not.toContain('x2')
  })

  it('sort: relevance is the default with q; newest and oldest order by time', async () => {
    const relevance = expectJson(await search(h, 'u1', { q: 'deploy', limit: 100 }), 200)
    expect(relevance.total).toBe(25)
    const scores = relevance.hits.map((x: Hit) => x.score)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
    expect(ids(relevance.hits.slice(0, 5)).sort()).toEqual(['d04', 'd09', 'd14', 'd19', 'd24'])
    expect(
      expectJson(await search(h, 'u1', { q: 'deploy', sort: 'relevance', limit: 100 }), 200).hits,
    ).toEqual(relevance.hits)
    const newest = expectJson(await search(h, 'u1', { q: 'deploy', sort: 'newest', limit: 3 }), 200)
    expect(ids(newest.hits)).toEqual(['d24', 'd23', 'd22'])
    const oldest = expectJson(await search(h, 'u1', { q: '部署', sort: 'oldest', limit: 3 }), 200)
    expect(ids(oldest.hits)).toEqual(['d00', 'd01', 'd02'])
  })

  it('filters: conversationId, senderId, type, after (inclusive) and before (exclusive), epoch ms or ISO', async () => {
    const conv = expectJson(await search(h, 'u1', { q: '部署', conversationId: 'dm:u1:u3' }), 200)
    expect(ids(conv.hits)).toEqual(['x1'])
    const bySender = expectJson(await search(h, 'u1', { senderId: 'u2', limit: 100 }), 200)
    expect(bySender.total).toBe(12)
    expect(bySender.hits.every((x: { senderId: string }) => x.senderId === 'u2')).toBe(true)
    const files = expectJson(await search(h, 'u1', { type: 'file', sort: 'oldest' }), 200)
    expect(ids(files.hits)).toEqual(['d00', 'd05', 'd10', 'd15', 'd20'])

    const after = T0 + 10 * DAY
    const before = T0 + 13 * DAY
    const epoch = expectJson(await search(h, 'u1', { q: 'deploy', after, before, sort: 'oldest' }), 200)
    expect(ids(epoch.hits)).toEqual(['d10', 'd11', 'd12'])
    const iso = expectJson(
      await search(h, 'u1', {
        q: 'deploy',
        after: new Date(after).toISOString(),
        before: new Date(before).toISOString(),
        sort: 'oldest',
      }),
      200,
    )
    expect(iso).toEqual(epoch)
    const dateOnly = expectJson(await search(h, 'u1', { after: '2025-01-25', sort: 'oldest', limit: 1 }), 200)
    expect(ids(dateOnly.hits)).toEqual(['d24'])
  })

  it('limit bounds: 1 and 100 pass; 0, 101 and non-numbers are 400', async () => {
    expect(expectJson(await search(h, 'u1', { limit: 1 }), 200).hits).toHaveLength(1)
    expect(expectJson(await search(h, 'u1', { limit: 100 }), 200).hits).toHaveLength(26)
    for (const limit of ['0', '101', 'ten', '-5', '2.5'])
      expectProblem(await search(h, 'u1', { limit }), 400, 'query.limit')
  })

  it.each([
    ['after', { after: 'yesterday' }, 'query.after'],
    ['before', { before: '2025-13-45' }, 'query.before'],
    // Not a date in ISO 8601 (nor in any calendar); Date.parse would roll it over to 2 March.
    ['after (impossible date 2025-02-30)', { after: '2025-02-30' }, 'query.after'],
    ['before (impossible date 2025-04-31T00:00:00Z)', { before: '2025-04-31T00:00:00Z' }, 'query.before'],
    ['sort', { sort: 'random' }, 'query.sort'],
    ['type', { type: 'Not A Type' }, 'query.type'],
    ['conversationId', { conversationId: 'a b' }, 'query.conversationId'],
    ['q too long', { q: 'x'.repeat(257) }, 'query.q'],
  ])('400 for a bad %s', async (_label, params, path) => {
    expectProblem(await search(h, 'u1', params), 400, path)
  })

  it('cursor paging visits every hit exactly once; nextCursor is absent on the last page', async () => {
    for (const params of [{ q: 'deploy' }, { q: '部署', sort: 'oldest' }, {}]) {
      const all = expectJson(await search(h, 'u1', { ...params, limit: 100 }), 200)
      const seen: string[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page = expectJson(await search(h, 'u1', { ...params, limit: 4, cursor }), 200)
        expect(page.total).toBe(all.total)
        seen.push(...ids(page.hits))
        cursor = page.nextCursor
        pages++
        if (cursor === undefined) expect(page).not.toHaveProperty('nextCursor')
      } while (cursor !== undefined && pages < 20)
      expect(seen).toEqual(ids(all.hits))
      expect(pages).toBe(Math.ceil(all.total / 4))
    }
  })

  it('when the limit divides the total, the last full page has no nextCursor', async () => {
    // u1 received 26 messages: two pages of 13; 25 say deploy: five pages of 5.
    for (const [params, limit, pages] of [
      [{}, 13, 2],
      [{ q: 'deploy', sort: 'newest' }, 5, 5],
    ] as const) {
      let cursor: string | undefined
      let count = 0
      const seen = new Set<string>()
      do {
        const page = expectJson(await search(h, 'u1', { ...params, limit, cursor }), 200)
        expect(page.hits).toHaveLength(limit)
        for (const id of ids(page.hits)) seen.add(id)
        cursor = page.nextCursor
        count++
      } while (cursor !== undefined && count < 10)
      expect(count).toBe(pages)
      expect(seen.size).toBe(limit * pages)
    }
  })

  it('after/before accept ISO 8601 with an offset, the same instant as epoch ms', async () => {
    // 2025-01-11T08:00:00+08:00 is 2025-01-11T00:00:00Z, the send time of d10.
    const iso = expectJson(
      await search(h, 'u1', { after: '2025-01-11T08:00:00+08:00', sort: 'oldest', limit: 1 }),
      200,
    )
    expect(ids(iso.hits)).toEqual(['d10'])
    const ms = expectJson(await search(h, 'u1', { after: T0 + 10 * DAY, sort: 'oldest', limit: 1 }), 200)
    expect(iso).toEqual(ms)
  })

  it('a tampered, foreign or mismatched cursor is a 400', async () => {
    const first = expectJson(await search(h, 'u1', { q: 'deploy', limit: 5 }), 200)
    const cursor: string = first.nextCursor
    expect(cursor).toEqual(expect.any(String))
    // Tampered: one character of the body changed, or the signature cut.
    const flipped = (cursor[0] === 'A' ? 'B' : 'A') + cursor.slice(1)
    for (const bad of [flipped, cursor.slice(0, -2), `${cursor}.x`, 'garbage', ''.padEnd(40, '=')]) {
      const p = expectProblem(await search(h, 'u1', { q: 'deploy', limit: 5, cursor: bad }), 400)
      expect(p.errors?.[0]?.path).toMatch(/cursor/)
    }
    // Another user's cursor, even for the same search.
    expectProblem(await search(h, 'u2', { q: 'deploy', limit: 5, cursor }), 400, 'cursor')
    // A different search: another q, a filter or a sort added.
    expectProblem(await search(h, 'u1', { q: '部署', limit: 5, cursor }), 400, 'cursor')
    expectProblem(await search(h, 'u1', { q: 'deploy', senderId: 'u1', limit: 5, cursor }), 400, 'cursor')
    expectProblem(await search(h, 'u1', { q: 'deploy', sort: 'oldest', limit: 5, cursor }), 400, 'cursor')
    // The genuine cursor still works.
    expect(expectJson(await search(h, 'u1', { q: 'deploy', limit: 5, cursor }), 200).hits).toHaveLength(5)
  })

  it('highlight: the content HTML-escaped, each match in <em>', async () => {
    const hit = expectJson(await search(h, 'u1', { q: '部署 it' }), 200).hits[0]
    expect(hit.content).toBe('<script>alert("x")</script> & 5 > 3 部署 it')
    expect(hit.highlight).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 5 &gt; 3 <em>部署</em> <em>it</em>',
    )
    const twice = expectJson(
      await search(h, 'u1', { q: 'DEPLOY', conversationId: 'g1', sort: 'newest', limit: 1 }),
      200,
    )
    expect(twice.hits[0].highlight).toBe('<em>deploy</em> <em>deploy</em> 部署第24次')
    const script = expectJson(await search(h, 'u1', { q: 'script' }), 200).hits[0]
    expect(script.highlight).toBe(
      '&lt;<em>script</em>&gt;alert(&quot;x&quot;)&lt;/<em>script</em>&gt; &amp; 5 &gt; 3 部署 it',
    )
  })

  it('a query of punctuation only finds nothing rather than listing everything', async () => {
    expect(expectJson(await search(h, 'u1', { q: '!!! ？' }), 200)).toEqual({ hits: [], total: 0 })
  })
})
