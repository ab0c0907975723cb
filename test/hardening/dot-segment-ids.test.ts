/**
 * Ids `.` and `..` (issue #8, found by the endpoint fuzzer): a URL resolves them as dot segments
 * (`/v1/messages/..` is `/v1/`, `%2E` included), so a record stored under one could never be
 * read, recalled or deleted by path. They are refused wherever an id enters, with the field named.
 */
import { describe, expect, it } from 'vitest'
import { IdSchema } from '../../src/domain/ids.ts'
import { createHarness, expectProblem } from '../routes/harness.ts'

describe('ids that a URL cannot address', () => {
  it('the id schema refuses . and .. but keeps dots inside ids', () => {
    expect(IdSchema.safeParse('.').success).toBe(false)
    expect(IdSchema.safeParse('..').success).toBe(false)
    for (const id of ['...', '.a', 'a.', 'a..b', 'dm:u1:u2'])
      expect(IdSchema.safeParse(id).success).toBe(true)
  })

  it('400 naming the field for a message, a recipient and a group owner', async () => {
    const h = createHarness()
    const message = { conversationId: 'dm:a:b', senderId: 'a', content: 'x', recipients: ['b'] }
    expectProblem(
      await h.ingest('POST', '/v1/messages', { ...message, messageId: '..' }),
      400,
      'body.messageId',
    )
    expectProblem(
      await h.ingest('POST', '/v1/messages', { ...message, messageId: 'm1', recipients: ['.'] }),
      400,
      'body.recipients[0]',
    )
    expectProblem(await h.ingest('PUT', '/v1/groups/g1', { name: 'n', ownerId: '..' }), 400, 'body.ownerId')
  })

  it('a dot-segment path never reaches a handler as an id', async () => {
    const h = createHarness()
    for (const path of ['/v1/users/..', '/v1/users/%2E%2E', '/v1/messages/.'])
      expect([404, 405]).toContain((await h.ingest('DELETE', path)).status)
  })
})
