/**
 * @module The one-conversation listing's total, counted per (conversation, recipient set) instead
 * of walked (`adapters/memory/counts-by-set.ts`), against a brute-force count of the live
 * documents: through writes, deletes and recalls, re-indexing of the same id (a message moved to
 * another conversation or recipient list), membership changes, compactions, and a snapshot
 * round trip, with the counts made before or after any of them.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CountsBySet } from '../../adapters/memory/counts-by-set.ts'
import { DocIndex, type DocIndexOptions } from '../../adapters/memory/doc-index.ts'

interface Doc {
  id: string
  conversationId: string | string[]
  recipients: string[]
  sentAt: number
}

const PEOPLE = ['王芳', '李娜', 'alice', 'bob']
const CONVERSATIONS = ['群聊-产品', 'direct:alice', 'c3']

const options: DocIndexOptions = {
  schema: {
    id: { type: 'keyword' },
    conversationId: { type: 'keyword' },
    recipients: { type: 'keyword', array: true },
    sentAt: { type: 'long' },
  },
  idField: 'id',
  recipientSetFields: ['recipients'],
  countedBySet: ['conversationId'],
  compactAfterDead: 3,
}

const conversation = fc.constantFrom(...CONVERSATIONS)
const step = fc.oneof(
  {
    arbitrary: fc.record({
      upsert: fc.integer({ min: 0, max: 7 }),
      // Now and then a document in two conversations (a keyword array): counted once in each.
      conversation: fc.oneof({ arbitrary: conversation, weight: 5 }, fc.uniqueArray(conversation)),
      recipients: fc.uniqueArray(fc.constantFrom(...PEOPLE)),
      sentAt: fc.integer({ min: 0, max: 20 }),
    }),
    weight: 6,
  },
  fc.record({ remove: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ search: fc.constantFrom(...PEOPLE), in: conversation }),
  fc.constant({ snapshot: true as const }),
)

function listing(user: string, conversationId: string, limit: number, after?: string) {
  return {
    query: {
      bool: {
        filter: [
          { terms: { field: 'recipients', values: [user] } },
          { term: { field: 'conversationId', value: conversationId } },
        ],
      },
    },
    sort: [
      { field: { name: 'sentAt', order: 'desc' as const } },
      { field: { name: 'id', order: 'desc' as const } },
    ],
    limit,
    ...(after ? { after } : {}),
  }
}

/** The ids the user sees in the conversation, newest first, from the live documents. */
function expected(live: ReadonlyMap<string, Doc>, user: string, conversationId: string): string[] {
  return [...live.values()]
    .filter((d) => d.recipients.includes(user) && [d.conversationId].flat().includes(conversationId))
    .sort((a, b) => b.sentAt - a.sentAt || (a.id < b.id ? 1 : -1))
    .map((d) => d.id)
}

/** Every user's listing of every conversation, two pages of it, against {@link expected}. */
function checkAll(index: DocIndex<Doc>, live: ReadonlyMap<string, Doc>): void {
  for (const user of PEOPLE)
    for (const c of CONVERSATIONS) {
      const want = expected(live, user, c)
      const first = index.search(listing(user, c, 2))
      expect(first.total).toBe(want.length)
      expect(first.hits.map((h) => h.id)).toEqual(want.slice(0, 2))
      if (!first.next) continue
      const second = index.search(listing(user, c, 2, first.next))
      expect(second.total).toBe(want.length)
      expect(second.hits.map((h) => h.id)).toEqual(want.slice(2, 4))
    }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('one-conversation listing total counted per recipient set', () => {
  it('equals the brute-force count of live documents through every kind of write', () => {
    const count = vi.spyOn(CountsBySet.prototype, 'count')
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let index = new DocIndex<Doc>(options)
        const live = new Map<string, Doc>()
        for (const s of steps) {
          if ('upsert' in s) {
            const doc = {
              id: `m${s.upsert}`,
              conversationId: s.conversation,
              // Sorted, as the services send them; a membership change is another list.
              recipients: [...s.recipients].sort(),
              sentAt: s.sentAt,
            }
            index.upsert(doc)
            live.set(doc.id, doc)
          } else if ('remove' in s) {
            index.remove(`m${s.remove}`)
            live.delete(`m${s.remove}`)
          } else if ('search' in s) {
            // Makes the counts here, so later writes must keep them.
            expect(index.search(listing(s.search, s.in, 1)).total).toBe(expected(live, s.search, s.in).length)
          } else index = DocIndex.fromSnapshot<Doc>(options, index.toSnapshot())
        }
        checkAll(index, live)
      }),
      { numRuns: 300 },
    )
    // The totals above were the counts', not a walk's.
    expect(count).toHaveBeenCalled()
  })

  it('counts a listing asked with the filters in either order, and none for an unknown user or conversation', () => {
    const index = new DocIndex<Doc>(options)
    index.upsert({ id: 'm1', conversationId: '群聊-产品', recipients: ['alice', '王芳'], sentAt: 1 })
    index.upsert({ id: 'm2', conversationId: '群聊-产品', recipients: ['alice', 'bob', '王芳'], sentAt: 2 })
    index.upsert({ id: 'm3', conversationId: 'c3', recipients: ['王芳'], sentAt: 3 })
    const reversed = (user: string, c: string) => {
      const request = listing(user, c, 1)
      return { ...request, query: { bool: { filter: [...request.query.bool.filter].reverse() } } }
    }
    expect(index.search(reversed('王芳', '群聊-产品')).total).toBe(2)
    expect(index.search(reversed('bob', '群聊-产品')).total).toBe(1)
    expect(index.search(listing('nobody', '群聊-产品', 1)).total).toBe(0)
    expect(index.search(listing('王芳', 'no-such', 1)).total).toBe(0)
  })

  it('keeps the same counts as a plain tally in its typed arrays, through growth and compactions', () => {
    // A hundred values of eight sets each, past the arrays' first lengths, each compaction
    // dropping the sets whose documents are all gone.
    const doc = fc.record({
      conversation: fc.oneof(
        fc.integer({ min: 0, max: 99 }).map((n) => `会话-${n}`),
        fc.uniqueArray(fc.constantFrom('c1', 'c2', 'c3'), { minLength: 1 }),
      ),
      setNo: fc.integer({ min: 0, max: 7 }),
    })
    const op = fc.oneof(
      { arbitrary: doc.map((d) => ({ add: d })), weight: 6 },
      { arbitrary: fc.nat().map((n) => ({ removeAt: n })), weight: 2 },
      fc.constant({ compact: true as const }),
    )
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 400 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 7 })),
        (ops, seen) => {
          const setOf: number[] = []
          const counts = new CountsBySet('conversationId', (docNo) => setOf[docNo] as number)
          const live = new Map<number, { conversation: string | string[]; setNo: number }>()
          for (const o of ops) {
            if ('add' in o) {
              const docNo = setOf.length
              setOf.push(o.add.setNo)
              counts.add(docNo, { conversationId: o.add.conversation })
              live.set(docNo, o.add)
            } else if ('removeAt' in o) {
              const docNo = [...live.keys()][o.removeAt % Math.max(live.size, 1)]
              const removed = docNo === undefined ? undefined : live.get(docNo)
              if (docNo === undefined || !removed) continue
              counts.remove(docNo, { conversationId: removed.conversation })
              live.delete(docNo)
            } else counts.compact()
          }
          const inSet = (setNo: number) => seen.includes(setNo)
          const values = new Set([...live.values()].flatMap((d) => [d.conversation].flat()))
          for (const value of [...values, 'no-such']) {
            const want = [...live.values()].filter(
              (d) => [d.conversation].flat().includes(value) && inSet(d.setNo),
            ).length
            expect(counts.count(value, inSet)).toBe(want)
          }
        },
      ),
      { numRuns: 200 },
    )
  })
})
