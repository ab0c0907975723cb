/**
 * @module Every query the message search builds passes the schema check (`query/validate.ts`):
 * the service therefore hands it to the backend without checking it again on every request.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validateQuery, validateSort } from '../../src/query/validate.ts'
import { buildMessageQuery } from '../../src/services/message-query.ts'
import { MESSAGE_SORTS } from '../../src/services/message-search.ts'
import { parseSearch, SearchSyntaxError } from '../../src/text/search-syntax.ts'

const word = fc.constantFrom(
  '今天',
  '哈尔滨',
  '火锅',
  'coffee',
  'JWT',
  'ﬁle',
  '上海 天气',
  'a-b',
  '10:30',
  '😀',
)
const operand = fc.oneof(
  word.map((w) => (w.includes(' ') ? `"${w}"` : w)),
  word.map((w) => `-${w.split(' ')[0]}`),
  fc.constantFrom('u1', 'u2', '用户3').map((u) => `from:${u}`),
  fc.constantFrom('g1', 'dm-u1-u2').map((c) => `in:${c}`),
  fc.constantFrom('link', 'file', 'image', 'video', 'audio', 'mention').map((h) => `has:${h}`),
  fc.constant('is:mentioned'),
  fc
    .constantFrom('before', 'after', 'during')
    .chain((op) => fc.constantFrom('2026-12-06', '1733400000000', '2024-02-29').map((d) => `${op}:${d}`)),
)
const filters = fc.record(
  {
    conversationId: fc.constantFrom('g1', '会话-2'),
    senderId: fc.constantFrom('u1', '张伟'),
    type: fc.constantFrom('text', 'image'),
    after: fc.integer({ min: 0, max: 2 ** 42 }),
    before: fc.integer({ min: 0, max: 2 ** 42 }),
    tz: fc.constantFrom('UTC', 'Asia/Shanghai'),
  },
  { requiredKeys: [] },
)

describe('message queries', () => {
  it('pass the schema check, with every sort', () => {
    fc.assert(
      fc.property(
        fc.array(operand, { maxLength: 8 }),
        filters,
        fc.constantFrom('u1', '用户2'),
        (parts, f, caller) => {
          let syntax: ReturnType<typeof parseSearch>
          try {
            syntax = parseSearch(parts.join(' '))
          } catch (error) {
            if (error instanceof SearchSyntaxError) return
            throw error
          }
          expect(validateQuery('messages', buildMessageQuery(caller, f, syntax))).toEqual([])
        },
      ),
    )
    for (const sort of Object.values(MESSAGE_SORTS)) expect(validateSort('messages', sort)).toEqual([])
  })
})
