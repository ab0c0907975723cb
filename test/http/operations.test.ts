import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/http/metrics.ts'
import { authHeader, problemOf, testApp, token } from './support.ts'

describe('operations endpoints', () => {
  it('GET /healthz answers 200 without a token', async () => {
    const { app } = testApp()
    const res = await app.request('/healthz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('GET /readyz follows the readiness check', async () => {
    let ready = false
    const { app } = testApp({ readiness: async () => ready })
    const notReady = await app.request('/readyz')
    expect(notReady.status).toBe(503)
    const { contentType, body } = await problemOf(notReady)
    expect(contentType).toBe('application/problem+json')
    expect(body.type).toMatch(/not-ready$/)
    ready = true
    const res = await app.request('/readyz')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready' })
  })

  it('GET /readyz is 503 when the check throws', async () => {
    const { app } = testApp({
      readiness: () => {
        throw new Error('backend unreachable')
      },
    })
    expect((await app.request('/readyz')).status).toBe(503)
  })

  it('GET /metrics exposes request counts and latencies by route pattern, and app gauges', async () => {
    const metrics = createMetrics()
    let docs = 3
    metrics.registerGauge({ name: 'index_documents', help: 'Documents per index.', collect: () => docs })
    metrics.registerGauge({
      name: 'index_size',
      help: 'Per index.',
      labelNames: ['index'],
      collect: async () => [
        { labels: { index: 'messages' }, value: 10 },
        { labels: { index: 'users' }, value: 2 },
      ],
    })
    const { app } = testApp({ metrics })
    const headers = await authHeader()
    await app.request('/v1/items/a1', { headers })
    await app.request('/v1/items/a2', { headers })
    await app.request('/v1/items/a3')
    await app.request('/no/such/path/123')
    docs = 7
    const res = await app.request('/metrics')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain(
      'imsearch_http_requests_total{method="GET",route="/v1/items/:itemId",status="200"} 2',
    )
    expect(text).toContain(
      'imsearch_http_requests_total{method="GET",route="/v1/items/:itemId",status="401"} 1',
    )
    expect(text).toContain('imsearch_http_requests_total{method="GET",route="unmatched",status="404"} 1')
    expect(text).toContain(
      'imsearch_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/v1/items/:itemId"',
    )
    // Concrete ids never become labels.
    expect(text).not.toContain('a1')
    expect(text).toContain('imsearch_index_documents 7')
    expect(text).toContain('imsearch_index_size{index="messages"} 10')
  })

  it('counts every request in http_requests_total by method, route pattern and status, in order of first sight, across scrapes', async () => {
    const headers = await authHeader()
    const kinds = [
      { method: 'GET', path: '/v1/items/条目1', headers, route: '/v1/items/:itemId' },
      { method: 'GET', path: '/v1/items/a2', headers: {}, route: '/v1/items/:itemId' },
      { method: 'DELETE', path: '/v1/items/a2', headers, route: 'unmatched' },
      { method: 'GET', path: '/no/such/path', headers: {}, route: 'unmatched' },
      { method: 'GET', path: '/healthz', headers: {}, route: '/healthz' },
      { method: 'GET', path: '/metrics', headers: {}, route: '/metrics' },
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: kinds.length - 1 }), { maxLength: 30 }),
        async (picks) => {
          const { app } = testApp({ metrics: createMetrics() })
          // The oracle: a count per label set, in the order the label sets first appeared.
          const counts = new Map<string, number>()
          let scraped = ''
          for (const pick of [...picks, kinds.length - 1]) {
            const kind = kinds[pick] as (typeof kinds)[number]
            const res = await app.request(kind.path, { method: kind.method, headers: kind.headers })
            if (kind.route === '/metrics') {
              scraped = await res.text()
              const expected = [...counts].map(
                ([labels, n]) => `imsearch_http_requests_total{${labels}} ${n}`,
              )
              const counted = scraped
                .split('\n')
                .filter((line) => line.startsWith('imsearch_http_requests_total{'))
              expect(counted).toEqual(expected)
            } else await res.arrayBuffer()
            // Counted once answered: a scrape shows the scrapes before it, not itself.
            const labels = `method="${kind.method}",route="${kind.route}",status="${res.status}"`
            counts.set(labels, (counts.get(labels) ?? 0) + 1)
          }
          expect(scraped).toContain('# TYPE imsearch_http_requests_total counter')
        },
      ),
      { numRuns: 40 },
    )
  })

  it('echoes a safe x-request-id and replaces an unsafe one', async () => {
    const { app } = testApp()
    const kept = await app.request('/healthz', { headers: { 'x-request-id': 'abc-123' } })
    expect(kept.headers.get('x-request-id')).toBe('abc-123')
    const replaced = await app.request('/healthz', { headers: { 'x-request-id': 'bad id\u00e9/../' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const fresh = await app.request('/healthz')
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('logs one JSON line per request with the request id and never the token or query', async () => {
    const { app, logs } = testApp()
    const jwt = await token('u7')
    await app.request('/v1/items/i1?limit=5&q=private+words', {
      headers: { authorization: `Bearer ${jwt}`, 'x-request-id': 'log-1' },
    })
    const line = logs.lines.find((l) => l.msg === 'request' && l.reqId === 'log-1')
    expect(line).toMatchObject({
      method: 'GET',
      path: '/v1/items/i1',
      status: 200,
      userId: 'u7',
      level: 'info',
    })
    expect(typeof line?.ms).toBe('number')
    const all = logs.raw.join('\n')
    expect(all).not.toContain(jwt)
    expect(all).not.toContain('private')
  })

  it('the logger redacts secrets and authorization headers if a handler logs them', async () => {
    const { logs } = testApp()
    logs.logger.info(
      {
        headers: { authorization: 'Bearer abc' },
        config: { auth: { jwtSecret: 'topsecret' }, tablestore: { accessKeySecret: 'ak-secret' } },
      },
      'oops',
    )
    const text = logs.raw.join('\n')
    expect(text).not.toContain('Bearer abc')
    expect(text).not.toContain('topsecret')
    expect(text).not.toContain('ak-secret')
    expect(text).toContain('[redacted]')
  })
})

describe('API documents', () => {
  it('GET /openapi.json is an OpenAPI 3.1 document with the bearer scheme and the routes', async () => {
    const { app } = testApp()
    const res = await app.request('/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as {
      openapi: string
      info: { title: string }
      security: unknown
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info.title).toBe('im-search')
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    })
    expect(doc.security).toEqual([{ bearerAuth: [] }])
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/readyz', '/v1/items/{itemId}'])
    const item = doc.paths['/v1/items/{itemId}']
    expect(item?.get?.security).toEqual([{ bearerAuth: ['search'] }])
    expect(item?.put?.security).toEqual([{ bearerAuth: ['ingest'] }])
    expect(Object.keys(item?.put?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '415']),
    )
    expect(doc.paths['/healthz']?.get?.security).toEqual([])
    expect(doc.components.schemas).toHaveProperty('Problem')
    expect(doc.components.schemas).toHaveProperty('SampleItem')
  })

  it('GET /docs serves the interactive reference pointing at /openapi.json', async () => {
    const { app } = testApp()
    const res = await app.request('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html.toLowerCase()).toContain('<!doctype html>')
    expect(html).toContain('/openapi.json')
    // The script comes from a CDN in the reader's browser; nothing is fetched by the server.
    expect(html).toMatch(/<script[^>]+src="https:\/\//)
  })
})
