/**
 * Fuzzing every endpoint (issue #8, "Bad input"). The operations come from the app's own
 * `/openapi.json`, so a new endpoint is fuzzed the day it is declared. Each gets hostile requests
 * (path and query values, unknown parameters, bodies: see hostile-values.ts) and valid-shaped ones,
 * with a valid token of the scope it needs, against the fixture data set. Every answer must be
 * below 500, a problem document when 4xx, and arrive within a bound; afterwards the app still
 * answers a valid request. Set `IMSEARCH_LONG=1` for 20 × the runs.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Scope } from '../../src/http/context.ts'
import { createFixtureHarness, createHarness, type Harness } from '../routes/harness.ts'
import { type Answer, describeRequest, expectWellFormed, send } from './answers.ts'
import { type FuzzRequest, hostileRequest, validRequest } from './fuzz-requests.ts'
import { listOperations, type Operation } from './openapi-operations.ts'
import { LONG, runs } from './runs.ts'
import { validValue } from './schema-values.ts'

/** Who calls with each scope: a fixture user for search, service accounts for the rest. */
const CALLERS: Record<Scope, string> = { search: 'u1', ingest: 'ingestor', admin: 'ops' }

/** The long variant makes thousands of requests per operation; admin reindexes queue up behind each other. */
const TIMEOUT_MS = LONG ? 1_200_000 : 60_000

/** Valid-shaped requests pass the schema; what the service may still refuse or not find. */
const VALID_SHAPED_STATUSES = [200, 201, 202, 204, 400, 403, 404, 409]

// Read at collection time (from an app without fixtures) so that each operation is a test of its own.
const operations: Operation[] = await listOperations(createHarness().app)
let h: Harness
/** Per operation, how many answers of each status: the suite's own coverage report. */
const seen = new Map<string, Map<number, number>>()
/** The slowest answer, to report how far from the hang bound the suite stays. */
let slowest = { ms: 0, label: '' }
const started = performance.now()

beforeAll(async () => {
  h = await createFixtureHarness()
})

afterAll(() => {
  const total = [...seen.values()].reduce((n, m) => n + [...m.values()].reduce((a, b) => a + b, 0), 0)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.info(
    `fuzz: ${total} requests over ${operations.length} operations in ${seconds} s; ` +
      `slowest answer ${slowest.ms.toFixed(0)} ms (${slowest.label})`,
  )
})

async function authorization(op: Operation): Promise<string> {
  if (op.scope === undefined) return ''
  return `Bearer ${await h.token(CALLERS[op.scope], [op.scope])}`
}

async function answer(op: Operation, req: FuzzRequest): Promise<Answer> {
  const reply = await send(h.app, req, await authorization(op))
  const counts = seen.get(op.label) ?? new Map<number, number>()
  counts.set(reply.status, (counts.get(reply.status) ?? 0) + 1)
  seen.set(op.label, counts)
  if (reply.ms > slowest.ms) slowest = { ms: reply.ms, label: describeRequest(req).slice(0, 160) }
  return reply
}

/** A valid message body, for batch items (documented as `{}`: each is validated on its own). */
function messageBody(): fc.Arbitrary<unknown> | undefined {
  const post = operations.find((o) => o.method === 'POST' && o.template === '/v1/messages')
  return post?.body ? validValue(post.body) : undefined
}

/** After fuzzing an operation the app must still be ready and answer a plain search. */
async function expectHealthy(): Promise<void> {
  expect((await h.app.request('/readyz')).status).toBe(200)
  const res = await h.app.request('/v1/search/messages?q=%E4%B8%8A%E6%B5%B7', {
    headers: { authorization: `Bearer ${await h.token('u1', ['search'])}` },
  })
  expect(res.status).toBe(200)
}

it('reads every documented operation', () => {
  // The resource routes of the README's table plus admin and operations; a drop means a bug here.
  expect(operations.length).toBeGreaterThanOrEqual(28)
  expect(operations.filter((o) => o.scope === undefined).map((o) => o.template)).toEqual([
    '/healthz',
    '/readyz',
  ])
})

describe.each(operations.map((op) => [op.label, op] as const))('%s', (_label, op) => {
  it('hostile input: never a 5xx, every 4xx a problem, no hang', { timeout: TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileRequest(op, messageBody()), async (req) => {
        expectWellFormed(await answer(op, req), req)
      }),
      { numRuns: runs(200) },
    )
    await expectHealthy()
  })

  it('valid-shaped input: 2xx, or a 4xx the service explains; some get past validation', {
    timeout: TIMEOUT_MS,
  }, async () => {
    const statuses: number[] = []
    await fc.assert(
      fc.asyncProperty(validRequest(op, messageBody()), async (req) => {
        const reply = await answer(op, req)
        expectWellFormed(reply, req)
        expect(VALID_SHAPED_STATUSES, `${req.method} ${req.url} → ${reply.text}`).toContain(reply.status)
        statuses.push(reply.status)
      }),
      { numRuns: runs(60) },
    )
    // All 400s would mean the generator never produced what the schema asks for.
    expect(
      statuses.some((s) => s !== 400),
      `statuses ${[...new Set(statuses)]}`,
    ).toBe(true)
    await expectHealthy()
  })
})
