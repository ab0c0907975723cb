/**
 * The typed client (issue #14) calls every operation in `/openapi.json`, against the app with the
 * fixtures. Calls are typed by the routes themselves, so a route whose types change breaks this
 * file's typecheck; a route nobody calls through the client fails the last test; every answer is
 * also checked against the document (status and body schema).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createClient, type ImSearchClient } from '../../src/client/index.ts'
import type { Scope } from '../../src/http/context.ts'
import {
  type OpenApiDocument,
  type ResponseChecker,
  responseChecker,
} from '../routes/documented-responses.ts'
import { createFixtureHarness, type Harness } from '../routes/harness.ts'

let h: Harness
let document: OpenApiDocument
let checker: ResponseChecker
/** `METHOD /path` of every request the clients sent. */
const sent: string[] = []

/** A client acting as `sub` with `scopes`, whose requests go to the in-process app. */
async function clientFor(sub: string, scopes: Scope[]): Promise<ImSearchClient> {
  return createClient('http://im-search.test/', {
    token: await h.token(sub, scopes),
    fetch: async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const request = new Request(input, init)
      const response = await h.app.fetch(request)
      const text = await response.clone().text()
      const contentType = response.headers.get('content-type') ?? ''
      sent.push(`${request.method} ${new URL(request.url).pathname}`)
      checker.check(request.method, request.url, response.status, contentType, text ? JSON.parse(text) : text)
      return response
    },
  })
}

/** Asserts the status and narrows the answer to it, so `json()` has that status's type. */
function expectStatus<R extends { status: number }, const S extends R['status']>(
  res: R,
  status: S,
): asserts res is Extract<R, { status: S }> {
  expect(res.status).toBe(status)
}

let ingest: ImSearchClient
let u1: ImSearchClient
let admin: ImSearchClient

beforeAll(async () => {
  h = await createFixtureHarness()
  document = (await (await h.app.request('/openapi.json')).json()) as OpenApiDocument
  checker = responseChecker(document)
  ingest = await clientFor('ingestor', ['ingest'])
  u1 = await clientFor('u1', ['search'])
  admin = await clientFor('root', ['admin'])
})

describe('the typed client, over every route', () => {
  it('operations', async () => {
    const health = await u1.healthz.$get()
    expectStatus(health, 200)
    expect((await health.json()).status).toBe('ok')
    const ready = await u1.readyz.$get()
    expectStatus(ready, 200)
    expect((await ready.json()).status).toBe('ready')
  })

  it('users and contacts', async () => {
    const put = await ingest.v1.users[':userId'].$put({
      param: { userId: 'c1' },
      json: { name: '客户端 Client', tags: ['typed'] },
    })
    expectStatus(put, 201)
    expect((await put.json()).name).toBe('客户端 Client')
    const got = await u1.v1.users[':userId'].$get({ param: { userId: 'c1' } })
    expectStatus(got, 200)
    expect((await got.json()).tags.map((t) => t.name)).toEqual(['typed'])
    const contact = await ingest.v1.users[':userId'].contacts[':contactId'].$put({
      param: { userId: 'u1', contactId: 'c1' },
      json: { nickname: '小客' },
    })
    expectStatus(contact, 200)
    expect((await contact.json()).nickname).toBe('小客')
    const dropped = await ingest.v1.users[':userId'].contacts[':contactId'].$delete({
      param: { userId: 'u1', contactId: 'c1' },
    })
    expectStatus(dropped, 204)
    expectStatus(await ingest.v1.users[':userId'].$delete({ param: { userId: 'c1' } }), 204)
  })

  it('groups and members', async () => {
    const put = await ingest.v1.groups[':groupId'].$put({
      param: { groupId: 'gc' },
      json: { name: '客户端群 client group', ownerId: 'u1' },
    })
    expectStatus(put, 201)
    expect((await put.json()).groupId).toBe('gc')
    expectStatus(
      await ingest.v1.groups[':groupId'].members[':userId'].$put({ param: { groupId: 'gc', userId: 'u2' } }),
      201,
    )
    const members = await u1.v1.groups[':groupId'].members.$get({ param: { groupId: 'gc' } })
    expectStatus(members, 200)
    expect((await members.json()).hits.map((m) => m.userId).sort()).toEqual(['u1', 'u2'])
    const group = await u1.v1.groups[':groupId'].$get({ param: { groupId: 'gc' } })
    expectStatus(group, 200)
    expect((await group.json()).name).toBe('客户端群 client group')
    expectStatus(
      await ingest.v1.groups[':groupId'].members[':userId'].$delete({
        param: { groupId: 'gc', userId: 'u2' },
      }),
      204,
    )
    expectStatus(await ingest.v1.groups[':groupId'].$delete({ param: { groupId: 'gc' } }), 204)
  })

  it('messages, history and search', async () => {
    const sentMessage = await ingest.v1.messages.$post({
      json: {
        messageId: 'mc1',
        conversationId: 'dm:u1:u3',
        senderId: 'u1',
        content: '客户端测试 typed client',
        recipients: ['u3'],
      },
    })
    expectStatus(sentMessage, 201)
    const receipt = await sentMessage.json()
    expect(receipt.messageId).toBe('mc1')
    const batch = await ingest.v1.messages.batch.$post({
      json: {
        messages: [
          {
            messageId: 'mc2',
            conversationId: 'dm:u1:u3',
            senderId: 'u3',
            content: '收到 got it',
            recipients: ['u1'],
          },
        ],
      },
    })
    expectStatus(batch, 200)
    const history = await u1.v1.conversations[':conversationId'].messages.$get({
      param: { conversationId: 'dm:u1:u3' },
      query: { limit: '10' },
    })
    expectStatus(history, 200)
    expect((await history.json()).hits.map((m) => m.messageId)).toContain('mc1')
    const found = await u1.v1.search.messages.$get({ query: { q: '客户端测试' } })
    expectStatus(found, 200)
    expect((await found.json()).hits.map((hit) => hit.messageId)).toContain('mc1')
    // Issue 13: operators and facets, chats grouped, and the one box, through the typed client.
    const faceted = await u1.v1.search.messages.$get({
      query: { q: 'from:u1 客户端测试', facets: 'conversation,sender' },
    })
    expectStatus(faceted, 200)
    const facets = (await faceted.json()).facets
    expect(facets?.sender).toContainEqual({ value: 'u1', count: 1 })
    const chats = await u1.v1.search.conversations.$get({ query: { q: '客户端测试' } })
    expectStatus(chats, 200)
    const chat = (await chats.json()).hits.find((hit) => hit.conversationId === 'dm:u1:u3')
    expect(chat?.matches).toBe(1)
    expect(chat?.latest.messageId).toBe('mc1')
    const box = await u1.v1.search.$get({ query: { q: '客户端测试' } })
    expectStatus(box, 200)
    expect((await box.json()).conversations.total).toBe(1)
    expectStatus(await ingest.v1.messages[':messageId'].$delete({ param: { messageId: 'mc1' } }), 204)
    const users = await u1.v1.search.users.$get({ query: { q: '张伟' } })
    expectStatus(users, 200)
    expect((await users.json()).total).toBeGreaterThan(0)
    const groups = await u1.v1.search.groups.$get({ query: { q: '前端' } })
    expectStatus(groups, 200)
    expect((await groups.json()).hits.length).toBeGreaterThan(0)
  })

  it("the caller's own groups and contacts", async () => {
    const groups = await u1.v1.me.groups.$get()
    expectStatus(groups, 200)
    expect((await groups.json()).hits.length).toBeGreaterThan(0)
    const contacts = await u1.v1.me.contacts.$get({ query: {} })
    expectStatus(contacts, 200)
    expect((await contacts.json()).total).toBeGreaterThan(0)
  })

  it('admin: reindex, its progress and cancel, indexes, queue', async () => {
    const started = await admin.v1.admin.reindex.$post({ json: { index: 'users' } })
    expectStatus(started, 202)
    const job = await started.json()
    const progress = await admin.v1.admin.reindex[':jobId'].$get({ param: { jobId: job.jobId } })
    expectStatus(progress, 200)
    expect((await progress.json()).jobId).toBe(job.jobId)
    // Cancelled while running (200), or already finished (409): both are documented answers.
    const cancel = await admin.v1.admin.reindex[':jobId'].cancel.$post({ param: { jobId: job.jobId } })
    expect([200, 409]).toContain(cancel.status)
    const indexes = await admin.v1.admin.indexes.$get()
    expectStatus(indexes, 200)
    const queue = await admin.v1.admin.queue.$get()
    expectStatus(queue, 200)
    expect((await queue.json()).deadLetters).toEqual([])
    const retried = await admin.v1.admin.queue.retry.$post()
    expectStatus(retried, 200)
    expect((await retried.json()).retried).toBe(0)
  })

  it('every documented operation was called through the client', () => {
    const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => ({
        label: `${method.toUpperCase()} ${template}`,
        pattern: new RegExp(`^${method.toUpperCase()} ${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
    )
    const uncalled = operations.filter((op) => !sent.some((s) => op.pattern.test(s)))
    expect(uncalled.map((op) => op.label)).toEqual([])
  })
})
