/**
 * An oracle property over the whole HTTP API (issue 4, "only messages whose recipients include
 * the caller are ever returned or counted"): random small worlds are driven through the ingestion
 * endpoints (joins and leaves interleaved with group and direct messages, resends and recalls);
 * then random callers search with random queries, and every hit list, `total` and history page
 * must equal a brute-force evaluation of what was ingested.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tokenize } from '../../src/text/analyzer.ts'
import { matchesAllTerms } from '../../src/text/match-rule.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import { createHarness, expectJson, type Harness, qs, T0 } from './harness.ts'

const USERS = ['u0', 'u1', 'u2', 'u3', 'u4'] as const
const OWNER = 'u0'
const GROUP = 'g1'
/** Overlapping words, so that adjacency and order decide matches: 上海 / 海东 / 东边, deploy / Deploy. */
const WORDS = [
  '上海',
  '东边',
  '海东',
  '测试',
  '令牌',
  'JWT',
  'jwt',
  'deploy',
  'Deploy',
  'coffee',
  'k8s',
  '表格存储',
  '🙂',
]
const QUERIES = [
  ...WORDS,
  '上海东边',
  '海',
  '东',
  '"上海 东边"',
  'deploy coffee',
  '测试 jwt',
  '存储',
  '格存',
  'k8s deploy',
  'jwt令牌',
]

type User = (typeof USERS)[number]
type Command =
  | { kind: 'join'; user: User }
  | { kind: 'leave'; user: User }
  | { kind: 'group'; sender: User; words: string[]; spaced: boolean }
  | { kind: 'direct'; sender: User; to: User[]; words: string[]; spaced: boolean }
  | { kind: 'resend'; pick: number }
  | { kind: 'recall'; pick: number }

const user = fc.constantFrom(...USERS)
const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), user }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), user }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('group' as const), sender: user, words, spaced: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('direct' as const),
      sender: user,
      to: fc.uniqueArray(user, { minLength: 1, maxLength: 2 }),
      words,
      spaced: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('recall' as const), pick: fc.nat() }) },
)
const search = fc.record({
  caller: user,
  q: fc.option(fc.constantFrom(...QUERIES), { nil: undefined }),
  sort: fc.constantFrom('newest', 'oldest', 'relevance'),
})

interface Stored {
  messageId: string
  conversationId: string
  content: string
  sentAt: number
  recipients: Set<string>
  recalled: boolean
  body: Record<string, unknown>
}

/** Replays the commands through the API, checking each answer, and returns the model. */
async function drive(h: Harness, initial: User[], commands: Command[]): Promise<Stored[]> {
  for (const id of USERS) expectJson(await h.ingest('PUT', `/v1/users/${id}`, { name: `用户 ${id}` }), 201)
  expectJson(await h.ingest('PUT', `/v1/groups/${GROUP}`, { name: '测试群 test group', ownerId: OWNER }), 201)
  const members = new Set<string>([OWNER])
  const join = async (u: User) => {
    const reply = await h.ingest('PUT', `/v1/groups/${GROUP}/members/${u}`)
    expect(reply.status).toBe(members.has(u) ? 200 : 201)
    members.add(u)
  }
  for (const u of initial) await join(u)
  const stored: Stored[] = []
  let step = 0
  for (const c of commands) {
    step++
    const sentAt = T0 + step * 1000
    switch (c.kind) {
      case 'join':
        await join(c.user)
        break
      case 'leave': {
        const reply = await h.ingest('DELETE', `/v1/groups/${GROUP}/members/${c.user}`)
        expect(reply.status).toBe(c.user === OWNER ? 409 : members.has(c.user) ? 204 : 404)
        if (c.user !== OWNER) members.delete(c.user)
        break
      }
      case 'group':
      case 'direct': {
        const content = c.words.join(c.spaced ? ' ' : '')
        const messageId = `m${step}`
        const body: Record<string, unknown> =
          c.kind === 'group'
            ? { messageId, conversationId: GROUP, senderId: c.sender, content, sentAt }
            : {
                messageId,
                conversationId: `dm:${[c.sender, ...c.to].sort().join(':')}`,
                senderId: c.sender,
                content,
                sentAt,
                recipients: c.to,
              }
        const reply = await h.ingest('POST', '/v1/messages', body)
        if (c.kind === 'group' && !members.has(c.sender)) {
          expect(reply.status).toBe(403)
          break
        }
        const receipt = expectJson(reply, 201)
        expect(receipt).toMatchObject({ messageId, conversationId: body.conversationId })
        stored.push({
          messageId,
          conversationId: body.conversationId as string,
          content,
          sentAt,
          recipients: c.kind === 'group' ? new Set(members) : new Set([c.sender, ...c.to]),
          recalled: false,
          body,
        })
        break
      }
      case 'resend': {
        const live = stored.filter((m) => !m.recalled)
        const m = live[c.pick % Math.max(1, live.length)]
        if (!m) break
        expect((await h.ingest('POST', '/v1/messages', m.body)).status).toBe(200)
        break
      }
      case 'recall': {
        const m = stored[c.pick % Math.max(1, stored.length)]
        if (!m) break
        expect((await h.ingest('DELETE', `/v1/messages/${m.messageId}`)).status).toBe(m.recalled ? 404 : 204)
        m.recalled = true
        break
      }
    }
  }
  return stored
}

/** What `caller` must get for `q`: visible, not recalled, every term matching. */
function oracle(stored: Stored[], caller: string, q: string | undefined): Stored[] {
  const terms = parseQueryTerms(q ?? '')
  // A query with no term that can match (only emoji or punctuation) finds nothing; no query lists all.
  if ((q ?? '').trim().length > 0 && terms.length === 0) return []
  return stored.filter(
    (m) =>
      !m.recalled &&
      m.recipients.has(caller) &&
      (terms.length === 0 || matchesAllTerms(tokenize(m.content), terms)),
  )
}

const byTime = (a: Stored, b: Stored) => a.sentAt - b.sentAt

describe('message search and history equal a brute-force oracle over random worlds', () => {
  it('hits, totals and history pages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...USERS.slice(1)]),
        fc.array(command, { minLength: 1, maxLength: 30 }),
        fc.array(search, { minLength: 1, maxLength: 6 }),
        async (initial, commands, searches) => {
          const h = createHarness()
          const stored = await drive(h, initial, commands)
          for (const s of searches) {
            const expected = oracle(stored, s.caller, s.q)
            const body = expectJson(
              await h.get(s.caller, `/v1/search/messages${qs({ q: s.q, sort: s.sort, limit: 100 })}`),
              200,
            )
            expect(body.total).toBe(expected.length)
            expect(body).not.toHaveProperty('nextCursor')
            const got = body.hits.map((x: { messageId: string }) => x.messageId)
            if (s.sort === 'relevance') {
              expect([...got].sort()).toEqual(expected.map((m) => m.messageId).sort())
            } else {
              const order = [...expected].sort(byTime)
              if (s.sort === 'newest') order.reverse()
              expect(got).toEqual(order.map((m) => m.messageId))
            }
            for (const hit of body.hits) {
              const m = stored.find((x) => x.messageId === hit.messageId)
              expect(hit).toMatchObject({
                conversationId: m?.conversationId,
                content: m?.content,
                sentAt: m?.sentAt,
              })
              if (s.q && parseQueryTerms(s.q).length > 0) expect(hit.highlight).toContain('<em>')
            }
            // Paged two at a time, the same hits arrive, none skipped or repeated.
            if (expected.length > 2 && s.sort !== 'relevance') {
              const paged: string[] = []
              let cursor: string | undefined
              do {
                const page = expectJson(
                  await h.get(
                    s.caller,
                    `/v1/search/messages${qs({ q: s.q, sort: s.sort, limit: 2, cursor })}`,
                  ),
                  200,
                )
                expect(page.total).toBe(expected.length)
                paged.push(...page.hits.map((x: { messageId: string }) => x.messageId))
                cursor = page.nextCursor
              } while (cursor !== undefined)
              expect(paged).toEqual(got)
            }
            // History of every conversation: what the caller can see, newest first, else 404.
            for (const conversationId of new Set(stored.map((m) => m.conversationId))) {
              const visible = oracle(stored, s.caller, undefined)
                .filter((m) => m.conversationId === conversationId)
                .sort(byTime)
                .reverse()
              const reply = await h.get(s.caller, `/v1/conversations/${conversationId}/messages?limit=100`)
              if (visible.length === 0) expect(reply.status).toBe(404)
              else
                expect(expectJson(reply, 200).hits.map((x: { messageId: string }) => x.messageId)).toEqual(
                  visible.map((m) => m.messageId),
                )
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
