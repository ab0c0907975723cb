/**
 * The one middleware that gives a request its id, its metrics and its access line (it replaced
 * hono's `requestId`, the metrics middleware and the log middleware, three layers of the chain):
 * the id it keeps or replaces is the one hono's middleware kept or replaced, and every answer —
 * the handler's, a 405, a body check's 415, an unknown path's 404 — is counted and logged once,
 * with the status it left with.
 */
import fc from 'fast-check'
import { Hono } from 'hono'
import { requestId } from 'hono/request-id'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/http/metrics.ts'
import { REQUEST_ID_HEADER, requestIdFrom } from '../../src/http/request-context.ts'
import { authHeader, testApp } from './support.ts'

/** What hono's `requestId({ limitLength: 128 })`, the middleware this one replaced, answered. */
async function honoRequestId(header: string | undefined): Promise<string> {
  const app = new Hono<{ Variables: { requestId: string } }>()
  app.use(requestId({ headerName: REQUEST_ID_HEADER, limitLength: 128 }))
  app.get('/', (c) => c.text(c.get('requestId')))
  const res = await app.request('/', header === undefined ? {} : { headers: { [REQUEST_ID_HEADER]: header } })
  return res.text()
}

/** A header as node hands it over: bytes as Latin-1, so Chinese sent as UTF-8 arrives as mojibake. */
const asReceived = (text: string) => Buffer.from(text).toString('latin1')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const idChar = fc.constantFrom(...'aZ09_-=', ' ', '.', '/', ':', 'é', ...asReceived('请求'), '\t')
const header = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    '',
    'abc-123',
    'req_1==',
    asReceived('请求-1'),
    'a'.repeat(128),
    'a'.repeat(129),
    `${'b'.repeat(127)}=`,
  ),
  fc.string({ unit: idChar, minLength: 1, maxLength: 140 }),
  fc.string({ unit: fc.constantFrom('a', '-', '_', '='), minLength: 120, maxLength: 135 }),
)

describe('the request id', () => {
  it("keeps exactly the ids hono's requestId kept, and replaces the others with a UUID", async () => {
    await fc.assert(
      fc.asyncProperty(header, async (value) => {
        // Headers cannot carry a tab at either end: both sides see the trimmed value.
        const sent = value?.trim() === value ? value : undefined
        const ours = requestIdFrom(sent === '' ? undefined : sent)
        const theirs = await honoRequestId(sent)
        if (UUID.test(theirs) && theirs !== sent) expect(ours).toMatch(UUID)
        else expect(ours).toBe(theirs)
      }),
      { numRuns: 300 },
    )
  })
})

describe('metrics and the access line', () => {
  it('count and log every answer once, with the status it left with', async () => {
    const metrics = createMetrics()
    const { app, logs } = testApp({ metrics })
    const answers = [
      { path: '/v1/items/i1', init: { headers: await authHeader() }, status: 200 },
      {
        path: '/v1/items/i1',
        init: { method: 'DELETE', headers: { 'x-request-id': asReceived('删除-1') } },
        status: 405,
      },
      { path: '/v1/nowhere', init: {}, status: 404 },
    ]
    for (const { path, init, status } of answers) expect((await app.request(path, init)).status).toBe(status)
    const text = await (await app.request('/metrics')).text()
    expect(text).toContain(
      'imsearch_http_requests_total{method="GET",route="/v1/items/:itemId",status="200"} 1',
    )
    expect(text).toContain('imsearch_http_requests_total{method="DELETE",route="unmatched",status="405"} 1')
    expect(text).toContain('imsearch_http_requests_total{method="GET",route="unmatched",status="404"} 1')
    const lines = logs.lines.filter((l) => l.msg === 'request' && l.path !== '/metrics')
    expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/v1/items/i1', 200],
      ['DELETE', '/v1/items/i1', 405],
      ['GET', '/v1/nowhere', 404],
    ])
    // An unsafe id is replaced in the line too: what is logged is what was sent back.
    expect(lines[1]?.reqId).toMatch(UUID)
  })
})
