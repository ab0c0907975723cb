/**
 * Bodies must be well-formed Unicode (issue #8, found by fuzzing over the LMDB store): a message
 * whose content held a lone surrogate (the JSON escape "\ud800") was acknowledged with 201, stored
 * by LMDB as U+FFFD, and its retry answered 409 "different content". Non-UTF-8 bytes were
 * replaced silently. Both are now a 400 before any handler runs.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { findLoneSurrogate, hasSurrogateEscape } from '../../src/http/well-formed-body.ts'
import { createHarness, expectJson, expectProblem } from '../routes/harness.ts'
import { deeplyNested } from './hostile-values.ts'

const message = (content: string) =>
  `{"messageId":"m1","conversationId":"dm:a:b","senderId":"a","recipients":["b"],"content":"${content}"}`

describe('well-formed bodies', () => {
  it('400 naming the field for a lone surrogate escape, high or low, in a value or a key', async () => {
    const h = createHarness()
    for (const content of ['a\\ud800b', '\\udfff', '\\udc00\\ud800', 'x\\uD83D'])
      expectProblem(await h.ingest('POST', '/v1/messages', message(content)), 400, 'body.content')
    const profile = '{"name":"n","profile":{"\\ud800":"v"}}'
    expectProblem(await h.ingest('PUT', '/v1/users/u1', profile), 400, /^body\.profile\./)
    const batch = `{"messages":[${message('ok')},${message('\\ud800')}]}`
    expectProblem(await h.ingest('POST', '/v1/messages/batch', batch), 400, 'body.messages[1].content')
    // A byte order mark first: the validator drops it as it decodes, and so does the check.
    expectProblem(await h.ingest('POST', '/v1/messages', `\uFEFF${message('\\ud800')}`), 400, 'body.content')
  })

  it('looks for surrogate escapes in the bytes as a regular expression would in the text', () => {
    const piece = fc.constantFrom('\\u', '\\', 'u', 'd', 'D', '8', 'b', 'F', 'g', '0', '今', 'é', '😀', '"')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('')
        expect(hasSurrogateEscape(Buffer.from(text))).toBe(/\\u[dD][89a-fA-F]/.test(text))
      }),
      { numRuns: 2000, seed: 20261207 },
    )
  })

  it('accepts paired escapes and an escaped backslash before "ud800"; retries stay idempotent', async () => {
    const h = createHarness()
    const emoji = message('ok \\ud83d\\ude00 \\\\ud800')
    const first = expectJson(await h.ingest('POST', '/v1/messages', emoji), 201)
    expect(expectJson(await h.ingest('POST', '/v1/messages', emoji), 200)).toEqual(first)
    const history = expectJson(await h.get('a', '/v1/conversations/dm:a:b/messages'), 200)
    expect(history.hits[0].content).toBe('ok 😀 \\ud800')
  })

  it('400 malformed-input for bytes that are not UTF-8', async () => {
    const h = createHarness()
    for (const bad of [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]]) {
      const [head, tail] = message('#').split('#') as [string, string]
      const body = Buffer.concat([Buffer.from(head), Buffer.from(bad), Buffer.from(tail)])
      // Raw bytes: the harness would send a string as UTF-8.
      const res = await h.app.request('/v1/messages', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await h.token('ingestor', ['ingest'])}`,
          'content-type': 'application/json',
        },
        body,
      })
      expect(res.status).toBe(400)
      expect(await res.json()).toMatchObject({ type: expect.stringMatching(/malformed-input$/) })
    }
  })

  it('finds a lone surrogate 200,000 levels deep without recursion', () => {
    const deep = JSON.parse(deeplyNested(200_000, 'array').replace('1', '"\\ud800"'))
    expect(findLoneSurrogate(deep)).toHaveLength(200_000)
    expect(findLoneSurrogate(JSON.parse(deeplyNested(200_000, 'object')))).toBeUndefined()
  })
})
