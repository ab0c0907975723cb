import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { authHeader, testApp } from './support.ts'

const { app } = testApp()

describe('no input gets a 500', () => {
  it('odd paths and queries', async () => {
    const headers = await authHeader()
    const paths = [
      '/v1/items/%',
      '/v1/items/%E0%A4%A',
      '/v1/items/%ED%A0%80', // an encoded lone surrogate
      '/v1/items/%00',
      '/v1/items/i1?limit=%ZZ',
      '/v1/items/i1?limit=1&limit=2',
      '/v1/items/i1?limit=NaN',
      '/v1/items/i1?limit=1e309',
      `/v1/items/${'x'.repeat(5000)}`,
      '/v1//items/i1',
      '/v1/items/i1/',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]
    for (const path of paths) {
      const res = await app.request(path, { headers })
      expect(res.status, path).toBeLessThan(500)
      if (res.status >= 400) expect(res.headers.get('content-type'), path).toBe('application/problem+json')
    }
  })

  it('HEAD on a GET route answers without a body', async () => {
    const res = await app.request('/healthz', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })

  it('random bodies, content types and authorization headers (property)', async () => {
    const headers = await authHeader()
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.json().map((j) => j.slice(0, 500)),
          fc.jsonValue().map((v) => JSON.stringify({ name: v, tags: v, count: v })),
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        ),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/problem+json',
          'application/x-www-form-urlencoded',
          '',
          ';;;',
          'application/json; charset=ébad',
        ),
        fc.oneof(fc.constant(headers.authorization), fc.string({ unit: 'grapheme-ascii', maxLength: 60 })),
        async (body, contentType, authorization) => {
          const res = await app.request('/v1/items/i1', {
            method: 'PUT',
            headers: { 'content-type': contentType, authorization },
            body,
          })
          expect(res.status).toBeLessThan(500)
          expect(res.status === 200 || res.headers.get('content-type') === 'application/problem+json').toBe(
            true,
          )
          await res.arrayBuffer()
        },
      ),
      { numRuns: 300 },
    )
  })
})
