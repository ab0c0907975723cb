/**
 * Query checks parsed synchronously give what zod's own asynchronous parse gives (the oracle),
 * for any query string values, valid or not, in Chinese and English; a schema that needs the
 * asynchronous parse still gets it.
 */
import { z } from '@hono/zod-openapi'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { messageSearchQuery } from '../../src/http/routes/search.routes.ts'
import { parseRequestSynchronously, parseSynchronously } from '../../src/http/synchronous-parse.ts'

const value = fc.oneof(
  fc.constantFrom('今天', '火锅 今晚', 'coffee', 'in:g1 after:2025-02-01', '', '  ', 'newest', 'relevance'),
  fc.constantFrom(
    '20',
    '0',
    '101',
    '-1',
    'abc',
    '2025-02-01',
    'Asia/Shanghai',
    'Mars/Olympus',
    'conversation,day',
  ),
  fc.string({ maxLength: 30 }),
  fc.array(fc.constantFrom('sender', 'type', '上海'), { minLength: 2, maxLength: 3 }),
)
const query = fc.record(
  {
    q: value,
    conversationId: value,
    senderId: value,
    type: value,
    after: value,
    before: value,
    tz: value,
    sort: value,
    facets: value,
    limit: value,
    cursor: value,
  },
  { requiredKeys: [] },
)

describe('parseSynchronously', () => {
  it('gives the result of zod’s asynchronous parse, success or issues, for any query', async () => {
    const oracle = messageSearchQuery()
    const synchronous = parseSynchronously(messageSearchQuery())
    await fc.assert(
      fc.asyncProperty(query, async (input) => {
        const [expected, actual] = await Promise.all([
          oracle.safeParseAsync(structuredClone(input)),
          synchronous.safeParseAsync(structuredClone(input)),
        ])
        expect(actual.success).toBe(expected.success)
        if (expected.success) expect(actual.data).toEqual(expected.data)
        else expect(actual.error?.issues).toEqual(expected.error?.issues)
      }),
      { numRuns: 500 },
    )
  })

  it('accepts a valid search and refuses a bad limit, as before', async () => {
    const schema = parseSynchronously(messageSearchQuery())
    const ok = await schema.safeParseAsync({ q: '上海 coffee', limit: '5' })
    expect(ok.success && ok.data).toMatchObject({ q: '上海 coffee', limit: 5 })
    const refused = await schema.safeParseAsync({ q: '上海', limit: 'many' })
    expect(refused.success).toBe(false)
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([['limit']])
  })

  it('falls back to the asynchronous parse for a schema with an async refinement', async () => {
    const known = new Set(['u1', '张伟'])
    const schema = parseSynchronously(
      z.object({ userId: z.string().refine(async (id) => known.has(id), 'unknown user') }),
    )
    expect((await schema.safeParseAsync({ userId: '张伟' })).success).toBe(true)
    const refused = await schema.safeParseAsync({ userId: 'nobody' })
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual(['unknown user'])
  })

  it('is applied to a route’s query and path schemas, not to what it lacks', () => {
    const query = z.object({ q: z.string() })
    const params = z.object({ userId: z.string() })
    const ownParse = (schema: object) => Object.hasOwn(schema, 'safeParseAsync')
    parseRequestSynchronously({ query, params })
    expect(ownParse(query) && ownParse(params)).toBe(true)
    expect(() => parseRequestSynchronously(undefined)).not.toThrow()
    expect(() => parseRequestSynchronously({})).not.toThrow()
  })
})
