/**
 * Unit: a message document's recipients are the message's ids sorted and deduplicated, whether a
 * list arrives once or again by identity (group messages share their member list, and
 * `messageDocument` remembers long lists it found canonical).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/domain/message.ts'
import { messageDocument } from '../../src/services/documents.ts'

const message = (recipients: string[]): Message => ({
  messageId: 'm1',
  conversationId: 'g1',
  sequenceId: 1,
  senderId: recipients[0] ?? 'u1',
  type: 'text',
  content: '今天 meeting',
  sentAt: 0,
  conversationType: 'group',
  recipients,
})

const id = fc.oneof(fc.stringMatching(/^u[0-9]{1,4}$/), fc.constantFrom('张伟', '李娜', 'zoe'))

/** Any list, or a pair as a direct message has (either order, or one id twice). */
const listArb = fc.oneof(
  fc.array(id, { minLength: 1, maxLength: 40 }),
  fc.tuple(id, id).map(([a, b]) => [a, b]),
)

describe('message document recipients', () => {
  it('are the ids sorted and unique, for lists given once or again, sorted or not', () => {
    fc.assert(
      fc.property(fc.array(listArb, { minLength: 1, maxLength: 6 }), (lists) => {
        // Each list twice, and its sorted form twice: an earlier answer never stands in for a later list.
        const sorted = lists.map((list) => [...new Set(list)].sort())
        for (const list of [...lists, ...sorted, ...lists, ...sorted]) {
          const expected = [...new Set(list)].sort()
          expect(messageDocument(message(list)).recipients).toEqual(expected)
        }
      }),
    )
  })

  it('keep a canonical list itself, so the index can share it by identity', () => {
    const list = Array.from({ length: 30 }, (_, i) => `u${String(i).padStart(3, '0')}`)
    expect(messageDocument(message(list)).recipients).toBe(list)
    expect(messageDocument(message(list)).recipients).toBe(list)
  })
})
