/**
 * @module The recipient-set index against an oracle (each document's list kept whole): groups
 * whose members join and leave between messages, so sets are kept as changes of earlier ones in
 * chains longer than a chain may grow, direct chats, a snapshot taken and loaded at any point,
 * deletions and compactions, and searches between writes (a user's cached mask, merged posting
 * or bits are extended, not rebuilt, except after a compaction).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Candidates } from '../../adapters/memory/posting.ts'
import { RecipientSetIndex, type RecipientSetOptions } from '../../adapters/memory/recipient-set-index.ts'

const PEOPLE = [
  'u01',
  'u02',
  'u03',
  'u04',
  'u05',
  'u06',
  '张伟',
  '李娜',
  '王芳',
  'Anna Lee',
  'Bob',
  'Zoë',
] as const

type Op =
  | { kind: 'join' | 'leave'; group: number; person: number }
  | { kind: 'message'; group: number }
  | { kind: 'direct'; a: number; b: number }
  | { kind: 'search'; person: number }
  | { kind: 'reload' }
  | { kind: 'delete'; at: number }
  | { kind: 'compact' }

const person = fc.nat({ max: PEOPLE.length - 1 })
const group = fc.nat({ max: 2 })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('join' as const), group, person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), group, person }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('message' as const), group }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('direct' as const), a: person, b: person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('search' as const), person }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat({ max: 1000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
)

const docsOf = (candidates: Candidates) => {
  const docs = new Set<number>()
  candidates.forEach((docNo) => void docs.add(docNo))
  return [...docs].sort((a, b) => a - b)
}

/** Through a copy, as a snapshot read back from disk is: nothing shared with the live index. */
const reload = (index: RecipientSetIndex, documents: number, options: RecipientSetOptions) =>
  RecipientSetIndex.fromSnapshot(structuredClone(index.toSnapshot(documents)), options)

describe('RecipientSetIndex against whole lists', () => {
  // Merged postings (the default, for callers who see few documents) or bits for every caller;
  // lists kept made, or let go at once.
  it('answers every list, term and membership test as the lists do, across reloads and compactions', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 300, size: 'max' }),
        // A bound of a few ids on the lists kept made: they are made again from the changes.
        fc.constantFrom<RecipientSetOptions>({}, { mergedLimit: 0 }, { madeListIds: 8 }),
        (ops, options) => {
          let index = new RecipientSetIndex(undefined, options)
          const groups = [new Set<string>(), new Set<string>(), new Set<string>()]
          const lists: string[][] = []
          /** Deleted documents, and those of them a compaction has dropped from the postings. */
          const deleted = new Set<number>()
          const dropped = new Set<number>()
          /** Per group, the array its messages carry until its members change (as the service shares one). */
          const carried: (string[] | undefined)[] = []
          const check = (who: string) => {
            const expected = lists.flatMap((list, docNo) => (list.includes(who) ? [docNo] : []))
            // The postings (and so the candidates) lose a deleted document at a compaction.
            const kept = expected.filter((docNo) => !dropped.has(docNo))
            const candidates = index.term(who)
            expect(docsOf(candidates)).toEqual(kept)
            const { has } = candidates
            if (has) expect(lists.flatMap((_, docNo) => (has(docNo) ? [docNo] : []))).toEqual(kept)
            const visible = index.anyOf([who])
            expect(lists.flatMap((_, docNo) => (visible(docNo) ? [docNo] : []))).toEqual(expected)
          }
          for (const op of ops) {
            if (op.kind === 'join' || op.kind === 'leave') carried[op.group] = undefined
            if (op.kind === 'join') groups[op.group]?.add(PEOPLE[op.person] as string)
            else if (op.kind === 'leave') groups[op.group]?.delete(PEOPLE[op.person] as string)
            else if (op.kind === 'search') check(PEOPLE[op.person] as string)
            else if (op.kind === 'reload') index = reload(index, lists.length, options)
            else if (op.kind === 'delete') {
              if (lists.length > 0) deleted.add(op.at % lists.length)
            } else if (op.kind === 'compact') {
              index.compact((docNo) => !deleted.has(docNo))
              for (const docNo of deleted) dropped.add(docNo)
            } else if (op.kind === 'message' || op.kind === 'direct') {
              const list =
                op.kind === 'message'
                  ? [...(groups[op.group] as Set<string>)]
                  : [PEOPLE[op.a] as string, PEOPLE[op.b] as string]
              const docNo = lists.length
              const canonical = [...new Set(list)].sort()
              lists.push(canonical)
              // Unsorted, with repeats: the index keeps the canonical list. A group's array comes
              // again by identity, as doc-index.ts adds it: addAgain first, add when it is not known.
              const given = (op.kind === 'message' && carried[op.group]) || [...list, ...list].reverse()
              if (op.kind === 'message') carried[op.group] = given
              expect(index.addAgain(docNo, given) ?? index.add(docNo, given)).toEqual(canonical)
            }
          }
          for (const [docNo, list] of lists.entries()) expect(index.listOf(docNo)).toEqual(list)
          const loaded = reload(index, lists.length, options)
          for (const [docNo, list] of lists.entries()) expect(loaded.listOf(docNo)).toEqual(list)
          for (const who of PEOPLE) check(who)
          index = loaded
          for (const who of PEOPLE) check(who)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('keeps a group that changes one member at a time as changes, not as whole lists', () => {
    const index = new RecipientSetIndex()
    const members = Array.from({ length: 500 }, (_, i) => `user-${String(i).padStart(4, '0')}`)
    const lists: string[][] = []
    for (let version = 0; version < 200; version++) {
      members.push(`joiner-${String(version).padStart(4, '0')}`)
      if (version % 3 === 0) members.splice(version % members.length, 1)
      lists.push([...members].sort())
      // A new array each time, as documents bring: add() may know an array it saw by identity.
      index.add(version, [...members])
    }
    const saved = index.toSnapshot(lists.length)
    const whole = lists.reduce((sum, list) => sum + list.length, 0)
    // A list saved whole once per chain, the rest as one or two changes each.
    expect(saved.changes.length).toBeLessThan(whole / 10)
    const loaded = RecipientSetIndex.fromSnapshot(structuredClone(saved))
    for (const [docNo, list] of lists.entries()) expect(loaded.listOf(docNo)).toEqual(list)
    expect(docsOf(loaded.term('joiner-0199'))).toEqual([199])
    expect(docsOf(loaded.term('user-0499'))).toEqual(lists.map((_, docNo) => docNo))
  })

  it('adds again only an array it was given, not an equal one or another value', () => {
    const index = new RecipientSetIndex()
    const list = ['u01', '李娜']
    expect(index.addAgain(0, list)).toBeUndefined()
    expect(index.add(0, list)).toEqual(list)
    expect(index.addAgain(1, [...list])).toBeUndefined()
    expect(index.addAgain(1, 'u01')).toBeUndefined()
    expect(index.addAgain(1, list)).toEqual(list)
    expect(docsOf(index.term('李娜'))).toEqual([0, 1])
  })

  it('refuses a snapshot whose sets do not add up', () => {
    const index = new RecipientSetIndex()
    index.add(0, ['a', 'b', 'c'])
    index.add(1, ['a', 'b', 'c', 'd'])
    const saved = structuredClone(index.toSnapshot(2))
    saved.parents[1] = 1
    expect(() => RecipientSetIndex.fromSnapshot(saved)).toThrow(/parent/)
    const outOfRange = structuredClone(index.toSnapshot(2))
    outOfRange.changes[0] = 99
    expect(() => RecipientSetIndex.fromSnapshot(outOfRange)).toThrow(/member out of range/)
  })
})
