/**
 * The HTTP thread (`src/front`) answers as the app in this thread does: the same service side
 * (embedded ports, the fixtures) served both ways, every route's answer compared — status,
 * content type, body (less the request id) and the headers a client acts on — for fixed requests
 * across the API and for random searches (property). Writes through the thread are acknowledged
 * and searchable; `/metrics` holds both threads' figures once; the shutdown drains.
 */
import * as fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { buildHttpApp, buildServiceSide, type ServiceSide } from '../../src/build-app.ts'
import { serviceSideMetrics } from '../../src/front/serve-http.ts'
import { serveInWorker } from '../../src/front/serve-in-worker.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createMetrics, type RunningServer } from '../../src/http/index.ts'
import { loadFixtures } from '../../src/services/fixtures-loader.ts'
import { deferred } from '../support/deferred.ts'
import { captureLogs } from './support.ts'

const SECRET = 'front-worker-secret-0123456789-abcdefgh'
const config = {
  auth: { jwtSecret: SECRET },
  rateLimitPerMinute: undefined,
  cursorSecret: 'front-cursors',
  isProduction: false,
}

interface Answer {
  status: number
  contentType: string | null
  retryAfter: string | null
  allow: string | null
  body: unknown
}

/** The answer less what differs per request: the request id (`instance`). */
async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text()
  let body: unknown = text
  try {
    const { instance: _instance, ...rest } = JSON.parse(text) as Record<string, unknown>
    body = rest
  } catch {
    // Not JSON (the console page, the metrics): compared as text.
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    allow: response.headers.get('allow'),
    body,
  }
}

/** The answer with `key` left out wherever it is (a reindex job's random id). */
function without(answer: Answer, key: string): Answer {
  return { ...answer, body: JSON.parse(JSON.stringify(answer.body, (k, v) => (k === key ? undefined : v))) }
}

/** The embedded ports with the fixtures, their clock stopped: two of them answer a write alike. */
async function sideWithFixtures(): Promise<ServiceSide> {
  const store = new MemoryRecordStore()
  const backend = createMemoryBackend()
  await loadFixtures('fixtures', { store, backend })
  return buildServiceSide({
    config,
    logger: logs.logger,
    store,
    backend,
    metrics: serviceSideMetrics('worker'),
    now: () => NOW,
  }).side
}

const NOW = Date.UTC(2026, 0, 1)

let side: ServiceSide
let inThread: ReturnType<typeof buildHttpApp>
let running: RunningServer
let url: string
const logs = captureLogs()

beforeAll(async () => {
  side = await sideWithFixtures()
  inThread = buildHttpApp({ config, logger: logs.logger, side, metrics: createMetrics() })
  running = serveInWorker(
    side,
    { app: config, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
    { logger: logs.logger, handleSignals: false, shutdownTimeoutMs: 2_000 },
  )
  url = (await running.url).replace(/\/$/, '')
}, 60_000)

afterAll(async () => {
  await running.close()
})

const token = (sub: string, scopes: readonly Scope[] = ['search']) =>
  signToken({ secret: SECRET, sub, scopes })

interface Request {
  method?: string
  path: string
  as?: string
  scopes?: readonly Scope[]
  body?: string
  contentType?: string
}

async function requestInit(request: Request): Promise<RequestInit> {
  const headers: Record<string, string> = {}
  if (request.as) headers.authorization = `Bearer ${await token(request.as, request.scopes)}`
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json'
  return {
    method: request.method ?? 'GET',
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  }
}

async function both(request: Request): Promise<[Answer, Answer]> {
  const init = await requestInit(request)
  const here = await answerOf(await inThread.request(request.path, init))
  const there = await answerOf(await fetch(url + request.path, init))
  return [here, there]
}

const READS: Request[] = [
  { path: '/v1/search/messages?q=文档', as: 'u1' },
  { path: '/v1/search/messages?q=deploy&facets=conversation,sender,type,day&tz=Asia/Shanghai', as: 'u1' },
  { path: '/v1/search/messages?q=from:u2&limit=4', as: 'u1' },
  { path: '/v1/search/messages?q=review in:g1&limit=3', as: 'u3' },
  { path: '/v1/search/conversations?q=咖啡&limit=2', as: 'u1' },
  { path: '/v1/search?q=会议', as: 'u1' },
  { path: '/v1/search/users?q=zhangwei', as: 'u1' },
  { path: '/v1/search/users?tags=咖啡,篮球&near=30.26,120.13&radius=50km', as: 'u1' },
  { path: '/v1/search/groups?q=前端', as: 'u3' },
  { path: '/v1/users/u2', as: 'u1' },
  { path: '/v1/groups/g1', as: 'u1' },
  { path: '/v1/groups/g1/members', as: 'u1' },
  { path: '/v1/me/groups', as: 'u1' },
  { path: '/v1/me/contacts', as: 'u1' },
  { path: '/v1/conversations/g28/messages?limit=3', as: 'u165' },
  { path: '/v1/admin/queue', as: 'admin', scopes: ['admin'] },
  { path: '/v1/admin/indexes', as: 'admin', scopes: ['admin'] },
  // Refusals made in the HTTP layer, and failures made by the services (crossing as problems).
  { path: '/v1/search/messages?q=x&cursor=not-a-cursor', as: 'u1' },
  { path: '/v1/search/messages?q=x&tz=Mars/Olympus', as: 'u1' },
  { path: '/v1/groups/no-such-group', as: 'u1' },
  { path: '/v1/users/no-such-user', as: 'u1' },
  { path: '/v1/admin/reindex/no-such-job', as: 'admin', scopes: ['admin'] },
  { path: '/v1/admin/queue', as: 'u1' },
  { path: '/v1/search/messages?q=x' },
  { method: 'DELETE', path: '/v1/search/messages', as: 'u1' },
  { method: 'POST', path: '/v1/messages', as: 'ingestor', scopes: ['ingest'], body: '{"messageId":' },
  {
    method: 'POST',
    path: '/v1/messages',
    as: 'ingestor',
    scopes: ['ingest'],
    body: 'x',
    contentType: 'text/plain',
  },
  { method: 'POST', path: '/v1/messages', as: 'ingestor', scopes: ['ingest'], body: '{}' },
  { path: '/healthz' },
  { path: '/readyz' },
  { path: '/no/such/route' },
]

const ingest = (method: string, path: string, body?: unknown): Request => ({
  method,
  path,
  as: 'ingestor',
  scopes: ['ingest'],
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})
const admin = (method: string, path: string, body?: unknown): Request => ({
  ...ingest(method, path, body),
  as: 'admin',
  scopes: ['admin'],
})
const message = (messageId: string, senderId: string, content: string, extra: object = {}) => ({
  messageId,
  conversationId: 'g1',
  senderId,
  type: 'text',
  content,
  ...extra,
})

/** Every write route, with the answers that cross threads: created, replayed, refused per item, not found. */
const WRITES: Request[] = [
  ingest('PUT', '/v1/users/w1', { name: '线程测试 Thread', tags: ['咖啡', { name: 'go', weight: 2 }] }),
  ingest('PUT', '/v1/users/w1', { name: '线程测试 Thread', tags: ['咖啡'] }),
  ingest('PUT', '/v1/users/w1/contacts/u1', { nickname: '老张' }),
  ingest('PUT', '/v1/users/w1/contacts/no-such-user', { nickname: 'x' }),
  ingest('PUT', '/v1/groups/gw', { name: '线程群', ownerId: 'w1', tags: ['前端'] }),
  ingest('PUT', '/v1/groups/gw/members/u1'),
  ingest('PUT', '/v1/groups/gw/members/u1'),
  ingest('PUT', '/v1/groups/no-such-group/members/u1'),
  ingest('POST', '/v1/messages', { ...message('mw1', 'u1', '线程之间 hello'), conversationId: 'gw' }),
  ingest('POST', '/v1/messages', { ...message('mw1', 'u1', '线程之间 hello'), conversationId: 'gw' }),
  ingest('POST', '/v1/messages', { ...message('mw1', 'u1', 'other content'), conversationId: 'gw' }),
  ingest('POST', '/v1/messages', { ...message('mw2', 'u2', 'not a member'), conversationId: 'gw' }),
  ingest('POST', '/v1/messages/batch', {
    messages: [
      { ...message('mw3', 'u1', '第一条'), conversationId: 'gw' },
      { ...message('mw1', 'u1', '线程之间 hello'), conversationId: 'gw' },
      { ...message('mw1', 'u1', 'changed'), conversationId: 'gw' },
      { ...message('mw4', 'u2', '不是成员'), conversationId: 'gw' },
      { ...message('mw5', 'u1', 'a direct message without recipients'), conversationId: 'dm:nobody' },
      { messageId: 'mw6' },
      { ...message('mw3', 'u1', '第一条'), conversationId: 'gw' },
    ],
  }),
  ingest('DELETE', '/v1/messages/mw3'),
  ingest('DELETE', '/v1/messages/mw3'),
  ingest('DELETE', '/v1/groups/gw/members/u1'),
  ingest('DELETE', '/v1/users/w1/contacts/u1'),
  ingest('DELETE', '/v1/groups/gw'),
  ingest('DELETE', '/v1/groups/gw'),
  ingest('DELETE', '/v1/users/w1'),
  admin('POST', '/v1/admin/reindex', { index: 'groups' }),
  admin('POST', '/v1/admin/reindex', { index: 'no-such-index' }),
  admin('POST', '/v1/admin/reindex/no-such-job/cancel'),
  admin('POST', '/v1/admin/queue/retry'),
]

describe('the HTTP thread', () => {
  it.each(READS)('answers $method $path as the app in this thread does', async (request) => {
    const [here, there] = await both(request)
    expect(there).toEqual(here)
  })

  it('answers random searches as the app in this thread does (property)', async () => {
    const words = [
      '预算',
      'budget',
      '附件',
      'report',
      'MySQL',
      '会议',
      'from:u2',
      'in:g1',
      'has:file',
      'q3',
      '张伟',
      'rows',
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('u1', 'u2', 'u3', 'u165', 'u300', 'nobody'),
        fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('/v1/search/messages', '/v1/search/conversations', '/v1/search'),
        fc.integer({ min: 1, max: 20 }),
        async (caller, q, path, limit) => {
          const [here, there] = await both({
            path: `${path}?q=${encodeURIComponent(q.join(' '))}&limit=${limit}`,
            as: caller,
          })
          expect(there).toEqual(here)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('answers a sequence of writes as the app in this thread does, over an identical service side', async () => {
    // A second service side in the same state, served in this thread; the writes go to each side
    // through its own way of serving, so each sees them in the same order.
    const twin = await sideWithFixtures()
    const twinApp = buildHttpApp({ config, logger: logs.logger, side: twin, metrics: createMetrics() })
    for (const write of WRITES) {
      const init = await requestInit(write)
      const here = await answerOf(await twinApp.request(write.path, init))
      const there = await answerOf(await fetch(url + write.path, init))
      expect({ write: `${write.method} ${write.path}`, ...without(there, 'jobId') }).toEqual({
        write: `${write.method} ${write.path}`,
        ...without(here, 'jobId'),
      })
    }
  })

  it("lists the console picker's users from the service side to a caller on this machine", async () => {
    const body = (await (await fetch(`${url}/console/dev/users`)).json()) as { users: { userId: string }[] }
    expect(body.users.map((u) => u.userId)).toEqual(expect.arrayContaining(['u1', 'u2']))
  })

  it('acknowledges writes made through it, which the searches then find', async () => {
    const auth = {
      authorization: `Bearer ${await token('ingestor', ['ingest'])}`,
      'content-type': 'application/json',
    }
    const message = {
      messageId: 'front-m1',
      conversationId: 'g28',
      senderId: 'u165',
      type: 'text',
      content: '线程之间的咖啡',
      sentAt: Date.UTC(2025, 5, 1),
    }
    const posted = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(message),
    })
    expect(posted.status).toBe(201)
    const batch = await fetch(`${url}/v1/messages/batch`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        messages: [message, { ...message, messageId: 'front-m2', content: '第二杯咖啡' }],
      }),
    })
    expect(batch.status).toBe(200)
    const statuses = ((await batch.json()) as { results: { status: number }[] }).results.map((r) => r.status)
    expect(statuses).toEqual([200, 201])
    const [here, there] = await both({ path: '/v1/search/messages?q=咖啡', as: 'u165' })
    expect(there).toEqual(here)
    expect((there.body as { hits: { messageId: string }[] }).hits.map((h) => h.messageId).sort()).toEqual([
      'front-m1',
      'front-m2',
    ])
  })

  it("serves /metrics with its own request figures and the service side's gauges, each metric once", async () => {
    const text = await (await fetch(`${url}/metrics`)).text()
    expect(text).toMatch(/^imsearch_http_requests_total\{.*route="\/v1\/search\/messages".*\} [1-9]/m)
    expect(text).toMatch(/^imsearch_index_documents\{index="messages"\} [1-9]/m)
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE '))
    expect(new Set(types).size).toBe(types.length)
  })

  it('refuses to start on a port in use, saying why', async () => {
    const port = Number(new URL(url).port)
    const second = serveInWorker(
      side,
      { app: config, listen: { host: '127.0.0.1', port }, logLevel: 'silent' },
      { logger: logs.logger, handleSignals: false },
    )
    await expect(second.url).rejects.toMatchObject({ code: 'EADDRINUSE' })
    await second.close()
  })

  it('says so when the HTTP thread fails, and runs the shutdown', async () => {
    let shutDown = false
    const failing = serveInWorker(
      side,
      // A log level pino does not know: the thread throws as it starts.
      { app: config, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'no-such-level' },
      {
        logger: logs.logger,
        handleSignals: false,
        onShutdown: () => {
          shutDown = true
        },
      },
    )
    await failing.url.catch(() => undefined)
    // The thread's start takes its module loading: wait for the failure, however long the machine takes.
    await vi.waitFor(
      () =>
        expect(logs.lines).toContainEqual(
          expect.objectContaining({ level: 'fatal', msg: 'the HTTP thread failed' }),
        ),
      { timeout: 30_000, interval: 20 },
    )
    await failing.close()
    expect(shutDown).toBe(true)
    expect(failing.shuttingDown).toBe(true)
  })

  it('finishes an in-flight request before the service side shuts down', async () => {
    // A search that waits at the service side until released: in flight for as long as the test needs.
    const reached = deferred()
    const gate = deferred()
    const { messages } = side.services
    const gated: ServiceSide = {
      ...side,
      services: {
        ...side.services,
        messages: {
          search: async (...args: Parameters<typeof messages.search>) => {
            reached.resolve()
            await gate.promise
            return messages.search(...args)
          },
        },
      },
    }
    let shutDown = false
    const front = serveInWorker(
      gated,
      { app: config, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
      {
        logger: logs.logger,
        handleSignals: false,
        shutdownTimeoutMs: 5_000,
        onShutdown: () => {
          shutDown = true
        },
      },
    )
    const pending = fetch(`${await front.url}v1/search/messages?q=文档`, {
      headers: { authorization: `Bearer ${await token('u1')}` },
    })
    await reached.promise
    const closed = front.close()
    expect(front.shuttingDown).toBe(true)
    gate.resolve()
    const response = await pending
    expect(response.status).toBe(200)
    expect(((await response.json()) as { total: number }).total).toBeGreaterThan(0)
    await closed
    expect(shutDown).toBe(true)
  })
})
