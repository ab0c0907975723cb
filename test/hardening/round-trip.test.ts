/**
 * What is acknowledged is what is stored (issue #8): over the LMDB store `npm start` uses, hostile
 * text accepted in a message or a user name reads back unchanged, and the same message sent again
 * is the same message (200, same receipt), never a 409. Lone surrogates broke this before bodies
 * had to be well-formed Unicode (well-formed-bodies.test.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { buildApp } from '../../src/build-app.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createLogger } from '../../src/logger.ts'
import { hostileText } from './hostile-values.ts'
import { runs } from './runs.ts'

const SECRET = 'round-trip-secret-0123456789-abcdefghij'
let dir: string
let store: LmdbRecordStore
let app: ReturnType<typeof buildApp>['app']
let ingest: string
let reader: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'im-search-round-trip-'))
  store = new LmdbRecordStore(dir)
  const config = { auth: { jwtSecret: SECRET }, rateLimitPerMinute: undefined, cursorSecret: 'c' }
  app = buildApp({
    config,
    logger: createLogger({ level: 'silent' }),
    store,
    backend: createMemoryBackend(),
  }).app
  ingest = `Bearer ${await signToken({ secret: SECRET, sub: 'ingestor', scopes: ['ingest'] })}`
  reader = `Bearer ${await signToken({ secret: SECRET, sub: 'a', scopes: ['search'] })}`
})

afterAll(async () => {
  await store.close()
  await rm(dir, { recursive: true, force: true })
})

const send = (method: string, path: string, body: unknown) =>
  app.request(path, {
    method,
    headers: { authorization: ingest, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

it('hostile message content: accepted means stored as sent, and a retry is idempotent', async () => {
  let n = 0
  await fc.assert(
    fc.asyncProperty(hostileText, async (content) => {
      const messageId = `rt-${n++}`
      const body = { messageId, conversationId: 'dm:a:b', senderId: 'a', recipients: ['b'], content }
      const first = await send('POST', '/v1/messages', body)
      expect(first.status).not.toBeGreaterThanOrEqual(500)
      if (first.status !== 201) return
      const retry = await send('POST', '/v1/messages', body)
      expect(retry.status, JSON.stringify(content)).toBe(200)
      expect(await retry.json()).toEqual(await first.json())
      expect((await store.getMessage(messageId))?.content).toBe(content)
    }),
    { numRuns: runs(100) },
  )
})

it('hostile user names: accepted means read back as stored', async () => {
  let n = 0
  await fc.assert(
    fc.asyncProperty(hostileText, async (name) => {
      const userId = `rt-user-${n++}`
      const put = await send('PUT', `/v1/users/${userId}`, { name })
      expect(put.status).not.toBeGreaterThanOrEqual(500)
      if (put.status !== 201) return
      const written = ((await put.json()) as { name: string }).name
      const read = await app.request(`/v1/users/${userId}`, { headers: { authorization: reader } })
      expect(((await read.json()) as { name: string }).name).toBe(written)
      expect((await store.getUser(userId))?.name).toBe(written)
    }),
    { numRuns: runs(100) },
  )
})
