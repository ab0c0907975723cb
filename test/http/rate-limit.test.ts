import { describe, expect, it } from 'vitest'
import { createRateLimiter } from '../../src/http/rate-limit.ts'
import { authHeader, problemOf, testApp, testConfig } from './support.ts'

describe('rate limiting per caller', () => {
  it('is off by default', async () => {
    const { app } = testApp()
    const headers = await authHeader()
    for (let i = 0; i < 30; i++) expect((await app.request('/v1/items/i1', { headers })).status).toBe(200)
  })

  it('answers 429 with Retry-After once a caller exceeds IMSEARCH_RATE_LIMIT', async () => {
    const { app } = testApp({ config: testConfig({ IMSEARCH_RATE_LIMIT: '2' }) })
    const alice = await authHeader('alice')
    expect((await app.request('/v1/items/i1', { headers: alice })).status).toBe(200)
    expect((await app.request('/v1/items/i1', { headers: alice })).status).toBe(200)
    const limited = await app.request('/v1/items/i1', { headers: alice })
    expect(limited.status).toBe(429)
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(Number.isInteger(retryAfter)).toBe(true)
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(30)
    const { contentType, body } = await problemOf(limited)
    expect(contentType).toBe('application/problem+json')
    expect(body).toMatchObject({ status: 429, type: 'https://im-search.dev/problems/rate-limited' })

    // Another caller has their own allowance; operations endpoints are never limited.
    expect((await app.request('/v1/items/i1', { headers: await authHeader('bob') })).status).toBe(200)
    expect((await app.request('/healthz')).status).toBe(200)
  })

  it('refills over time (token bucket)', () => {
    let now = 0
    const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, now: () => now })
    for (let i = 0; i < 60; i++) expect(limiter.take('u')).toBe(0)
    expect(limiter.take('u')).toBe(1)
    now += 1000
    expect(limiter.take('u')).toBe(0)
    expect(limiter.take('u')).toBe(1)
    now += 60_000
    for (let i = 0; i < 60; i++) expect(limiter.take('u')).toBe(0)
  })

  it('reports the wait for slow refills in whole seconds', () => {
    let now = 0
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => now })
    limiter.take('u')
    limiter.take('u')
    expect(limiter.take('u')).toBe(30)
    now += 29_000
    expect(limiter.take('u')).toBe(1)
  })

  it('sweeps idle callers when it holds too many keys', () => {
    let now = 0
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, now: () => now, maxKeys: 2 })
    expect(limiter.take('a')).toBe(0)
    expect(limiter.take('b')).toBe(0)
    now += 5000
    expect(limiter.take('c')).toBe(0)
    // a was swept and comes back with a full bucket.
    expect(limiter.take('a')).toBe(0)
  })
})
