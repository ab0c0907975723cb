/**
 * @module The request mix of the load test, over the fixture data set: 80% message searches (40
 * users, varied queries, a quarter newest-first), 10% discovery (people and groups by name,
 * pinyin, tag and place), 10% ingestion (half single messages, half batches of 10; group messages
 * from members and direct messages, every id unique). Every request is valid, so any non-2xx is a
 * failure. `onResponse` tallies answers per kind and counts the messages actually stored.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type autocannon from 'autocannon'
import { mulberry32, pick, shuffle } from '../../fixtures/generator/prng.ts'
import type { Scope } from '../../src/http/context.ts'

export const KINDS = ['search', 'discovery', 'ingest', 'batch'] as const
export type Kind = (typeof KINDS)[number]
/** Slots per 100 requests. */
const SHARE: Record<Kind, number> = { search: 80, discovery: 10, ingest: 5, batch: 5 }
const BATCH_SIZE = 10
const SEARCHERS = 40
/** Requests in the cycle autocannon walks through; large enough that connections do not align. */
const DECK = 2000

/** Words the fixtures hold, so searches have hits; ingested content draws on them too. */
const QUERIES = [
  '上海',
  'jwt',
  'deploy',
  '部署',
  '周五',
  '需求',
  '测试',
  'Mike',
  'staging',
  '"tests are green"',
  '明天 晚上',
  '西湖',
]
const DISCOVERY = [
  '/v1/search/users?q=zhangwei',
  '/v1/search/users?q=%E5%BC%A0',
  '/v1/search/users?q=li&limit=10',
  '/v1/search/users?tag=hiking',
  '/v1/search/users?near=30.2741,120.1551&radius=3km&sort=distance',
  '/v1/search/groups?q=%E5%89%8D%E7%AB%AF',
  '/v1/search/groups?tag=%E6%91%84%E5%BD%B1',
  '/v1/search/groups?near=31.2304,121.4737&radius=20km',
]
const CONTENT = [
  '周五上线 JWT 改造',
  'deploy to staging 明天',
  '上海 西湖 周末',
  'tests are green on staging',
  '需求 评审 测试',
]

export interface KindTally {
  requests: number
  non2xx: number
  /** Batch items that were not stored (status other than 200/201). */
  failedItems: number
}

export interface Mix {
  requests: autocannon.Request[]
  /** Per kind, since the last `reset()`. */
  tally: Record<Kind, KindTally>
  /** Messages stored (201) since the last `reset()`. */
  stored(): number
  reset(): void
  description: string
}

interface Membership {
  groupId: string
  userId: string
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as T
}

export async function buildMix(options: {
  fixturesDir: string
  token(sub: string, scopes: readonly Scope[]): Promise<string>
  seed?: number
}): Promise<Mix> {
  const rng = mulberry32(options.seed ?? 8)
  const users = (await readJson<{ userId: string }[]>(options.fixturesDir, 'users.json')).map((u) => u.userId)
  const memberships = await readJson<Membership[]>(options.fixturesDir, 'memberships.json')
  const searchers = shuffle(rng, users).slice(0, SEARCHERS)
  const auth = async (sub: string, scope: Scope) => `Bearer ${await options.token(sub, [scope])}`
  const searchAuth = await Promise.all(searchers.map((u) => auth(u, 'search')))
  const ingestAuth = await auth('load-ingestor', 'ingest')

  // Unique across runs against the same data dir, and across connections within a run.
  const runTag = Date.now().toString(36)
  let sequence = 0
  const message = () => {
    const messageId = `load-${runTag}-${sequence++}`
    const content = `${pick(rng, CONTENT)} ${sequence}`
    if (rng() < 0.5) {
      const m = pick(rng, memberships)
      return { messageId, conversationId: m.groupId, senderId: m.userId, content }
    }
    const i = Math.floor(rng() * users.length)
    // Another user: an offset of 1 to n-1 never lands on the sender.
    const [a, b] = [
      users[i] as string,
      users[(i + 1 + Math.floor(rng() * (users.length - 1))) % users.length] as string,
    ]
    return { messageId, conversationId: `dm:${a}:${b}`, senderId: a, recipients: [b], content }
  }

  const fresh = (): Record<Kind, KindTally> =>
    Object.fromEntries(KINDS.map((k) => [k, { requests: 0, non2xx: 0, failedItems: 0 }])) as Record<
      Kind,
      KindTally
    >
  let tally = fresh()
  let stored = 0
  const onResponse = (kind: Kind) => (status: number, body: string) => {
    const t = tally[kind]
    t.requests++
    if (status < 200 || status > 299) t.non2xx++
    if (kind === 'ingest' && status === 201) stored++
    if (kind === 'batch' && status === 200) {
      for (const r of (JSON.parse(body) as { results: { status: number }[] }).results) {
        if (r.status === 201) stored++
        else if (r.status !== 200) t.failedItems++
      }
    }
  }

  const json = { 'content-type': 'application/json', authorization: ingestAuth }
  const make = (kind: Kind, i: number): autocannon.Request => {
    const searcher = searchAuth[i % searchAuth.length] as string
    switch (kind) {
      case 'search': {
        const q = encodeURIComponent(pick(rng, QUERIES))
        const sort = rng() < 0.25 ? '&sort=newest' : ''
        return {
          method: 'GET',
          path: `/v1/search/messages?q=${q}&limit=20${sort}`,
          headers: { authorization: searcher },
          onResponse: onResponse(kind),
        }
      }
      case 'discovery':
        return {
          method: 'GET',
          path: pick(rng, DISCOVERY),
          headers: { authorization: searcher },
          onResponse: onResponse(kind),
        }
      case 'ingest':
        return {
          method: 'POST',
          path: '/v1/messages',
          headers: json,
          setupRequest: (req) => ({ ...req, body: JSON.stringify(message()) }),
          onResponse: onResponse(kind),
        }
      case 'batch':
        return {
          method: 'POST',
          path: '/v1/messages/batch',
          headers: json,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ messages: Array.from({ length: BATCH_SIZE }, message) }),
          }),
          onResponse: onResponse(kind),
        }
    }
  }
  const kinds = KINDS.flatMap((k) => Array.from({ length: (SHARE[k] * DECK) / 100 }, () => k))
  const requests = shuffle(rng, kinds).map(make)
  return {
    requests,
    get tally() {
      return tally
    },
    stored: () => stored,
    reset() {
      tally = fresh()
      stored = 0
    },
    description:
      `${SHARE.search}% message searches (${SEARCHERS} users × ${QUERIES.length} queries, a quarter newest-first), ` +
      `${SHARE.discovery}% discovery (${DISCOVERY.length} people/group searches), ${SHARE.ingest}% single messages, ` +
      `${SHARE.batch}% batches of ${BATCH_SIZE} (group messages from members and direct messages, unique ids)`,
  }
}
