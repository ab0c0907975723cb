/**
 * @module Regression (issue 8, found by the permission suite, seed 20250801): a member who joined
 * late got `nextBefore` on their oldest visible message, pointing at an empty page, which told
 * them that older messages they cannot see exist. History points further only while there is
 * something the caller can see there, on both backends.
 */
import { describe, expect, it } from 'vitest'
import { eachBackend, expectJson, type Harness } from '../routes/harness.ts'
import { useTablestoreEmulator } from '../tablestore/emulator-options.ts'

const emulator = useTablestoreEmulator(0)

/** g0: u0 alone posts m1 and m2; u1 joins; u0 posts m3 and m4. */
async function lateJoiner(h: Harness): Promise<void> {
  for (const u of ['u0', 'u1']) expectJson(await h.ingest('PUT', `/v1/users/${u}`, { name: u }), 201)
  expectJson(await h.ingest('PUT', '/v1/groups/g0', { name: 'g', ownerId: 'u0' }), 201)
  const post = async (id: string) =>
    expectJson(
      await h.ingest('POST', '/v1/messages', {
        messageId: id,
        conversationId: 'g0',
        senderId: 'u0',
        content: id,
      }),
      201,
    )
  await post('m1')
  await post('m2')
  expectJson(await h.ingest('PUT', '/v1/groups/g0/members/u1'), 201)
  await post('m3')
  await post('m4')
}

describe.each(eachBackend(emulator))('history of a late joiner (%s)', (_name, make: () => Harness) => {
  it('ends on the oldest message they can see', async () => {
    const h = make()
    await lateJoiner(h)
    const history = async (query: string) =>
      expectJson(await h.get('u1', `/v1/conversations/g0/messages?${query}`), 200)
    const first = await history('limit=1')
    expect(first.hits.map((m: { messageId: string }) => m.messageId)).toEqual(['m4'])
    const second = await history(`limit=1&before=${first.nextBefore}`)
    expect(second.hits.map((m: { messageId: string }) => m.messageId)).toEqual(['m3'])
    expect(second).not.toHaveProperty('nextBefore')
    expect(await history('limit=2')).not.toHaveProperty('nextBefore')
    // Around the oldest visible message: nothing older is announced either.
    const around = await history(`around=${second.hits[0].sequenceId}&limit=3`)
    expect(around.hits.map((m: { messageId: string }) => m.messageId)).toEqual(['m4', 'm3'])
    expect(around).not.toHaveProperty('nextBefore')
    // The owner, who saw everything, still pages back to m1.
    const owner = expectJson(await h.get('u0', '/v1/conversations/g0/messages?limit=3'), 200)
    expect(owner.nextBefore).toBe(owner.hits[2].sequenceId)
  })
})
