/**
 * Query bounds at the HTTP edge (issue #8): `q` is at most 256 characters on every search, and a
 * message query at most 16 terms, counted as the search counts them. Past either, a 400 whose
 * error names `query.q` and the limit; at the limit, an answer. The OpenAPI document states both.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from '../../src/text/query-terms.ts'
import { createFixtureHarness, expectJson, expectProblem, type Harness, qs } from '../routes/harness.ts'

const SEARCHES = ['/v1/search/messages', '/v1/search/users', '/v1/search/groups', '/v1/me/contacts']

let h: Harness
beforeAll(async () => {
  h = await createFixtureHarness()
})

function limitMessage(reply: Awaited<ReturnType<Harness['get']>>): string {
  const p = expectProblem(reply, 400, 'query.q')
  return p.errors.find((e: { path: string }) => e.path === 'query.q').message
}

describe('query length', () => {
  it.each(SEARCHES)('%s: 256 characters answer, 257 are a 400 naming the limit', async (path) => {
    expectJson(await h.get('u1', `${path}${qs({ q: 'a'.repeat(MAX_QUERY_LENGTH) })}`), 200)
    const over = await h.get('u1', `${path}${qs({ q: '张'.repeat(MAX_QUERY_LENGTH + 1) })}`)
    expect(limitMessage(over)).toBe('at most 256 characters')
  })
})

describe('message query terms', () => {
  const terms = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ')

  it('16 terms answer; 17 are a 400 naming the limit', async () => {
    expectJson(await h.get('u1', `/v1/search/messages${qs({ q: terms(MAX_QUERY_TERMS) })}`), 200)
    const over = await h.get('u1', `/v1/search/messages${qs({ q: terms(MAX_QUERY_TERMS + 1) })}`)
    expect(limitMessage(over)).toBe('at most 16 terms')
  })

  it('terms are counted as the search counts them', async () => {
    // A quoted phrase is one term; punctuation-only words are none; NFKC can split one
    // character into several words (ﷺ is four), so 5 of them are 20 terms in 10 characters.
    const phrases = Array.from({ length: MAX_QUERY_TERMS }, (_, i) => `"a b c ${i}"`).join(' ')
    expectJson(await h.get('u1', `/v1/search/messages${qs({ q: phrases })}`), 200)
    expectJson(
      await h.get('u1', `/v1/search/messages${qs({ q: `${terms(16)} ${'- * \\ '.repeat(20)}` })}`),
      200,
    )
    expect(limitMessage(await h.get('u1', `/v1/search/messages${qs({ q: 'ﷺ '.repeat(5) })}`))).toBe(
      'at most 16 terms',
    )
  })

  it('the OpenAPI document states both limits', async () => {
    type Param = { name: string; description?: string; schema: { maxLength?: number } }
    const doc = (await (await h.app.request('/openapi.json')).json()) as {
      paths: Record<string, { get: { parameters: Param[] } }>
    }
    const q = (path: string) => doc.paths[path]?.get.parameters.find((p) => p.name === 'q')
    expect(q('/v1/search/messages')?.schema.maxLength).toBe(MAX_QUERY_LENGTH)
    expect(q('/v1/search/messages')?.description).toContain(`${MAX_QUERY_TERMS} terms`)
    for (const path of ['/v1/search/users', '/v1/search/groups', '/v1/me/contacts'])
      expect(q(path)?.schema.maxLength, path).toBe(MAX_QUERY_LENGTH)
  })
})
