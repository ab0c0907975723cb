/**
 * @module The record-store contract: what every `RecordStore` must do (the seeds' tables: keys,
 * orders, idempotent message ids, per-conversation sequence ids). Run by one file per adapter.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Message } from '../../src/domain/message.ts'
import type { User } from '../../src/domain/user.ts'
import type { MessageDraft, RecordStore } from '../../src/ports/record-store.ts'

export interface RecordStoreContractOptions {
  name: string
  /** A fresh, empty store; called once per test and per property case. */
  create: () => RecordStore | Promise<RecordStore>
  /** @default 100 */
  numRuns?: number
}

const user = (userId: string, name: string): User => ({
  userId,
  name,
  tags: [],
  discoverable: true,
  profile: {},
})

const draft = (messageId: string, conversationId: string, content = `内容 ${messageId}`): MessageDraft => ({
  messageId,
  conversationId,
  senderId: 'u1',
  type: 'text',
  content,
  sentAt: 1_735_689_600_000,
  conversationType: 'single',
  recipients: ['u1', 'u2'],
})

export function runRecordStoreContract(options: RecordStoreContractOptions): void {
  const withStore = async (fn: (store: RecordStore) => Promise<void>) => {
    const store = await options.create()
    try {
      await fn(store)
    } finally {
      await store.close()
    }
  }
  const test = (title: string, fn: (store: RecordStore) => Promise<void>) => it(title, () => withStore(fn))

  describe(`RecordStore contract: ${options.name}`, () => {
    test('users: put, get, replace, delete', async (store) => {
      expect(await store.getUser('u1')).toBeUndefined()
      await store.putUser(user('u1', '张伟'))
      expect(await store.getUser('u1')).toEqual(user('u1', '张伟'))
      await store.putUser({ ...user('u1', 'Zhang Wei'), location: { lat: 30.27, lon: 120.15 } })
      expect((await store.getUser('u1'))?.location).toEqual({ lat: 30.27, lon: 120.15 })
      expect(await store.deleteUser('u1')).toBe(true)
      expect(await store.deleteUser('u1')).toBe(false)
      expect(await store.getUser('u1')).toBeUndefined()
    })

    test('users: several at once, only those that exist', async (store) => {
      expect(await store.getUsers([])).toEqual([])
      await store.putUser(user('u1', '张伟'))
      await store.putUser(user('u2', 'Alice'))
      const got = await store.getUsers(['u2', 'u9', 'u1', 'u2'])
      expect(got.map((u) => u.userId).sort()).toEqual(['u1', 'u2'])
      expect(got.find((u) => u.userId === 'u1')).toEqual(user('u1', '张伟'))
    })

    test('memberships: join once, both directions in key order, leave', async (store) => {
      expect(await store.addMember({ groupId: 'g1', userId: 'u2', joinedAt: 2 })).toBe(true)
      expect(await store.addMember({ groupId: 'g1', userId: 'u1', joinedAt: 1 })).toBe(true)
      expect(await store.addMember({ groupId: 'g0', userId: 'u1', joinedAt: 3 })).toBe(true)
      // A second join keeps the first membership and its time.
      expect(await store.addMember({ groupId: 'g1', userId: 'u2', joinedAt: 99 })).toBe(false)
      expect((await store.members('g1')).map((m) => [m.userId, m.joinedAt])).toEqual([
        ['u1', 1],
        ['u2', 2],
      ])
      expect((await store.groupsOf('u1')).map((m) => m.groupId)).toEqual(['g0', 'g1'])
      expect(await store.getMembership('g1', 'u2')).toEqual({ groupId: 'g1', userId: 'u2', joinedAt: 2 })
      expect(await store.removeMember('g1', 'u2')).toBe(true)
      expect(await store.removeMember('g1', 'u2')).toBe(false)
      expect(await store.getMembership('g1', 'u2')).toBeUndefined()
      expect((await store.groupsOf('u2')).length).toBe(0)
    })

    it('member lists equal a model under random joins, leaves, group deletions and reads', async () => {
      const member = fc.constantFrom('u1', 'u2', 'u3', '张伟')
      const group = fc.constantFrom('g1', 'g2')
      const op = fc.oneof(
        fc.record({ kind: fc.constant('join' as const), group, member }),
        fc.record({ kind: fc.constant('leave' as const), group, member }),
        fc.record({ kind: fc.constant('delete' as const), group }),
        // Reads between writes: a store that keeps lists must let every write show at once.
        fc.record({ kind: fc.constant('read' as const), group }),
        // A read started with a join, before it commits: the join shows once it has resolved.
        fc.record({ kind: fc.constant('read during join' as const), group, member }),
        // Joins and leaves of different members in flight together: a store that keeps lists
        // must end with every one of them, whatever order their commits resolve in.
        fc.record({
          kind: fc.constant('changes together' as const),
          group,
          changes: fc.uniqueArray(fc.record({ member, join: fc.boolean() }), {
            selector: (c) => c.member,
            minLength: 2,
          }),
        }),
      )
      const expectLists = async (store: RecordStore, model: Map<string, Set<string>>, groupId: string) => {
        const expected = [...(model.get(groupId) ?? [])].sort()
        const ids = await store.memberIds(groupId)
        expect(ids).toEqual(expected)
        expect(Object.isFrozen(ids)).toBe(true)
        expect((await store.members(groupId)).map((m) => m.userId)).toEqual(expected)
      }
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
          await withStore(async (store) => {
            const model = new Map<string, Set<string>>()
            const members = (groupId: string) =>
              model.get(groupId) ?? model.set(groupId, new Set()).get(groupId)!
            for (const o of ops) {
              if (o.kind === 'join') {
                expect(await store.addMember({ groupId: o.group, userId: o.member, joinedAt: 1 })).toBe(
                  !members(o.group).has(o.member),
                )
                members(o.group).add(o.member)
              } else if (o.kind === 'leave') {
                expect(await store.removeMember(o.group, o.member)).toBe(members(o.group).has(o.member))
                members(o.group).delete(o.member)
              } else if (o.kind === 'delete') {
                await store.deleteGroup(o.group)
                model.delete(o.group)
              } else if (o.kind === 'read during join') {
                const before = [...members(o.group)].sort()
                const joined = store.addMember({ groupId: o.group, userId: o.member, joinedAt: 1 })
                const during = await store.memberIds(o.group)
                await joined
                members(o.group).add(o.member)
                // Before or after the join, nothing else.
                expect([before, [...members(o.group)].sort()]).toContainEqual([...during])
              } else if (o.kind === 'changes together') {
                const answers = await Promise.all(
                  o.changes.map((c) =>
                    c.join
                      ? store.addMember({ groupId: o.group, userId: c.member, joinedAt: 1 })
                      : store.removeMember(o.group, c.member),
                  ),
                )
                expect(answers).toEqual(o.changes.map((c) => members(o.group).has(c.member) !== c.join))
                for (const c of o.changes)
                  if (c.join) members(o.group).add(c.member)
                  else members(o.group).delete(c.member)
              }
              await expectLists(store, model, o.group)
            }
            for (const groupId of ['g1', 'g2']) await expectLists(store, model, groupId)
          })
        }),
        { numRuns: options.numRuns ?? 100, seed: 20261205 },
      )
    })

    test('groups: deleting a group removes its memberships', async (store) => {
      await store.putGroup({
        groupId: 'g1',
        name: '前端技术交流群',
        description: '',
        tags: [{ name: '前端', weight: 2 }],
        visibility: 'private',
        ownerId: 'u1',
        createdAt: 1,
        memberCount: 1,
      })
      await store.addMember({ groupId: 'g1', userId: 'u1', joinedAt: 1 })
      expect((await store.getGroup('g1'))?.tags).toEqual([{ name: '前端', weight: 2 }])
      expect(await store.deleteGroup('g1')).toBe(true)
      expect(await store.getGroup('g1')).toBeUndefined()
      expect(await store.members('g1')).toEqual([])
      expect(await store.groupsOf('u1')).toEqual([])
      expect(await store.deleteGroup('g1')).toBe(false)
    })

    test('contacts: two mirrored rows, removed together', async (store) => {
      await store.putContacts([
        { userId: 'u1', contactId: 'u3', nickname: '老王', addedAt: 5 },
        { userId: 'u3', contactId: 'u1', addedAt: 5 },
      ])
      await store.putContacts([
        { userId: 'u1', contactId: 'u2', addedAt: 6 },
        { userId: 'u2', contactId: 'u1', nickname: 'boss', addedAt: 6 },
      ])
      expect((await store.contactsOf('u1')).map((c) => [c.contactId, c.nickname])).toEqual([
        ['u2', undefined],
        ['u3', '老王'],
      ])
      expect(await store.contactsOf('u2')).toEqual([
        { userId: 'u2', contactId: 'u1', nickname: 'boss', addedAt: 6 },
      ])
      expect(await store.deleteContacts('u3', 'u1')).toBe(true)
      expect((await store.contactsOf('u1')).map((c) => c.contactId)).toEqual(['u2'])
      expect(await store.contactsOf('u3')).toEqual([])
      expect(await store.deleteContacts('u1', 'u3')).toBe(false)
    })

    test('messages: sequence ids increase per conversation; an id is stored once', async (store) => {
      const a1 = await store.insertMessage(draft('m1', 'c1'))
      const b1 = await store.insertMessage(draft('m2', 'c2'))
      const a2 = await store.insertMessage(draft('m3', 'c1'))
      expect(a1.created && b1.created && a2.created).toBe(true)
      expect(a2.message.sequenceId).toBeGreaterThan(a1.message.sequenceId)
      const again = await store.insertMessage(draft('m1', 'c1', 'other content'))
      expect(again.created).toBe(false)
      expect(again.message).toEqual(a1.message)
      expect(await store.getMessage('m1')).toEqual(a1.message)
    })

    test("messages: a deleted message's sequence id is never handed out again", async (store) => {
      await store.insertMessage(draft('m1', 'c1'))
      const newest = await store.insertMessage(draft('m2', 'c1'))
      expect((await store.deleteMessage('m2'))?.messageId).toBe('m2')
      const next = await store.insertMessage(draft('m3', 'c1'))
      expect(next.message.sequenceId).toBeGreaterThan(newest.message.sequenceId)
      const [batched] = await store.insertMessages([draft('m4', 'c1')])
      expect(batched?.message.sequenceId).toBeGreaterThan(next.message.sequenceId)
      expect(
        (await store.history('c1', { direction: 'backward', limit: 10 })).map((m) => m.messageId),
      ).toEqual(['m4', 'm3', 'm1'])
    })

    test('messages: concurrent inserts of one id store it once', async (store) => {
      const results = await Promise.all(
        Array.from({ length: 8 }, () => store.insertMessage(draft('m1', 'c1'))),
      )
      expect(results.filter((r) => r.created)).toHaveLength(1)
      expect(new Set(results.map((r) => r.message.sequenceId)).size).toBe(1)
      expect(await store.history('c1', { direction: 'forward', limit: 100 })).toHaveLength(1)
    })

    test('messages: a batch insert stores each id once, in order per conversation', async (store) => {
      const before = await store.insertMessage(draft('m0', '会话1'))
      const batch = ['m1', 'm2', 'm0', 'm3', 'm4', 'm5'].map((id, n) =>
        draft(id, n % 2 === 0 ? '会话1' : 'c2', id === 'm0' ? 'other content' : undefined),
      )
      const results = await store.insertMessages([...batch, draft('m3', 'c2')])
      expect(results.map((r) => r.created)).toEqual([true, true, false, true, true, true, false])
      expect(results.pop()?.message).toEqual(results[3]?.message)
      expect(results[2]?.message).toEqual(before.message)
      expect(results.map((r) => r.message.messageId)).toEqual(batch.map((d) => d.messageId))
      for (const conversation of ['会话1', 'c2']) {
        const stored = await store.history(conversation, { direction: 'forward', limit: 100 })
        const inBatch = results.filter((r) => r.message.conversationId === conversation)
        expect(stored.map((m) => m.messageId)).toEqual(
          conversation === '会话1' ? ['m0', 'm1', 'm4'] : ['m2', 'm3', 'm5'],
        )
        expect(stored.slice(-inBatch.filter((r) => r.created).length)).toEqual(
          inBatch.filter((r) => r.created).map((r) => r.message),
        )
      }
      expect(await store.insertMessages([draft('m1', '会话1'), draft('m6', 'c2')])).toEqual([
        { message: results[0]?.message, created: false },
        { message: expect.objectContaining({ messageId: 'm6' }), created: true },
      ])
      // A single insert after the batches continues each conversation's sequence.
      for (const conversation of ['会话1', 'c2']) {
        const { message } = await store.insertMessage(draft(`after-${conversation}`, conversation))
        const earlier = await store.history(conversation, {
          before: message.sequenceId,
          direction: 'forward',
          limit: 100,
        })
        expect(earlier.map((m) => m.messageId)).toEqual(
          conversation === '会话1' ? ['m0', 'm1', 'm4'] : ['m2', 'm3', 'm5', 'm6'],
        )
      }
      const found = await store.getMessages(['m1', 'm6', 'nope', 'm1'])
      expect(found.map((m) => m.messageId).sort()).toEqual(['m1', 'm6'])
      expect(await store.getMessages([])).toEqual([])
      expect(await store.insertMessages([])).toEqual([])
    })

    test('groups: a batch read answers those that exist', async (store) => {
      await store.putGroup({
        groupId: 'g1',
        name: '产品组',
        description: '',
        tags: [],
        visibility: 'public',
        ownerId: 'u1',
        createdAt: 1,
        memberCount: 1,
      })
      expect(await store.getGroups(['g1', 'g2', 'g1'])).toEqual([await store.getGroup('g1')])
      expect(await store.getGroups([])).toEqual([])
    })

    test('messages: recall removes from reads and history', async (store) => {
      await store.insertMessage(draft('m1', 'c1'))
      const { message } = await store.insertMessage(draft('m2', 'c1'))
      expect(await store.deleteMessage('m2')).toEqual(message)
      expect(await store.deleteMessage('m2')).toBeUndefined()
      expect(await store.getMessage('m2')).toBeUndefined()
      expect(
        (await store.history('c1', { direction: 'backward', limit: 10 })).map((m) => m.messageId),
      ).toEqual(['m1'])
    })

    it('history equals a model under random inserts, recalls and range reads', async () => {
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('insert' as const),
          conversation: fc.constantFrom('c1', 'c2'),
          id: fc.integer({ min: 0, max: 30 }),
        }),
        fc.record({ kind: fc.constant('recall' as const), id: fc.integer({ min: 0, max: 30 }) }),
      )
      const read = fc.record({
        conversation: fc.constantFrom('c1', 'c2', 'c3'),
        direction: fc.constantFrom('forward' as const, 'backward' as const),
        before: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        after: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        limit: fc.integer({ min: 1, max: 12 }),
      })
      await fc.assert(
        fc.asyncProperty(
          fc.array(op, { maxLength: 40 }),
          fc.array(read, { minLength: 1, maxLength: 5 }),
          async (ops, reads) => {
            await withStore(async (store) => {
              const model = new Map<string, Message>()
              for (const o of ops) {
                const id = `m${o.id}`
                if (o.kind === 'insert') {
                  const { message, created } = await store.insertMessage(draft(id, o.conversation))
                  expect(created).toBe(!model.has(id))
                  if (created) {
                    const last = Math.max(
                      0,
                      ...[...model.values()]
                        .filter((m) => m.conversationId === o.conversation)
                        .map((m) => m.sequenceId),
                    )
                    expect(message.sequenceId).toBeGreaterThan(last)
                    model.set(id, message)
                  }
                } else {
                  expect((await store.deleteMessage(id))?.messageId).toBe(model.has(id) ? id : undefined)
                  model.delete(id)
                }
              }
              for (const r of reads) {
                const range = { before: r.before, after: r.after, direction: r.direction, limit: r.limit }
                const inRange = [...model.values()]
                  .filter((m) => m.conversationId === r.conversation)
                  .filter(
                    (m) =>
                      (r.before === undefined || m.sequenceId < r.before) &&
                      (r.after === undefined || m.sequenceId > r.after),
                  )
                  .sort((a, b) => a.sequenceId - b.sequenceId)
                const expected =
                  r.direction === 'forward' ? inRange.slice(0, r.limit) : inRange.reverse().slice(0, r.limit)
                expect(await store.history(r.conversation, range)).toEqual(expected)
              }
            })
          },
        ),
        { numRuns: options.numRuns ?? 100, seed: 20251123 },
      )
    })
  })
}
