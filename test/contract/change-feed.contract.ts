/**
 * @module What a record store with a change feed promises index snapshots (issue 15): every
 * write lists each record it changed, in commit order, under increasing numbers that survive a
 * restart and pruning; the store keeps one identity for life. Run by the LMDB store's test file.
 */
import { describe, expect, it } from 'vitest'
import type { Change, ChangeFeed } from '../../src/ports/change-feed.ts'
import type { RecordStore } from '../../src/ports/record-store.ts'

export interface ChangeFeedContractOptions {
  name: string
  /** A store in a fresh place, or the same place again when given the `place` it returned before. */
  open: (place?: string) => { store: RecordStore & ChangeFeed; place: string }
}

async function changes(feed: ChangeFeed, since = 0, pageSize = 100): Promise<Change[]> {
  const all: Change[] = []
  for await (const page of feed.changesSince(since, pageSize)) {
    expect(page.length).toBeLessThanOrEqual(pageSize)
    all.push(...page)
  }
  return all
}

const message = (messageId: string, sentAt: number) => ({
  messageId,
  conversationId: 'dm:u1:u2',
  senderId: 'u1',
  type: 'text' as const,
  content: `你好 hello ${messageId}`,
  sentAt,
  conversationType: 'single' as const,
  recipients: ['u1', 'u2'],
})

export function runChangeFeedContract(options: ChangeFeedContractOptions): void {
  describe(`ChangeFeed: ${options.name}`, () => {
    it('lists each changed record of every write, in order, and nothing for a write that changed none', async () => {
      const { store } = options.open()
      try {
        expect(store.lastChange()).toBe(0)
        expect(store.oldestChange()).toBeUndefined()
        await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
        await store.putGroup({
          groupId: 'g1',
          name: '周末徒步',
          description: '',
          tags: [],
          visibility: 'public',
          ownerId: 'u1',
          createdAt: 1,
          memberCount: 1,
        })
        await store.addMember({ groupId: 'g1', userId: 'u2', joinedAt: 2 })
        await store.putContacts([
          { userId: 'u1', contactId: 'u2', addedAt: 3 },
          { userId: 'u2', contactId: 'u1', addedAt: 3 },
        ])
        await store.insertMessage(message('m1', 10))
        await store.insertMessage(message('m1', 10)) // the same id again: nothing changes
        await store.deleteMessage('m1')
        await store.deleteMessage('m1') // gone already
        await store.deleteContacts('u1', 'u2')
        await store.removeMember('g1', 'u2')
        await store.deleteGroup('g1')
        await store.deleteUser('u1')
        await store.deleteUser('u1')
        const listed = await changes(store, 0, 3)
        expect(listed.map(({ kind, key }) => `${kind}:${key}`)).toEqual([
          'users:u1',
          'groups:g1',
          'contacts:u1/u2',
          'contacts:u2/u1',
          'messages:m1',
          'messages:m1',
          'contacts:u2/u1',
          'contacts:u1/u2',
          'groups:g1',
          'users:u1',
        ])
        const seqs = listed.map((c) => c.seq)
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] as number)
        expect(store.lastChange()).toBe(seqs[seqs.length - 1])
        expect(store.oldestChange()).toBe(seqs[0])
        expect((await changes(store, seqs[4])).map((c) => c.seq)).toEqual(seqs.slice(5))
      } finally {
        await store.close()
      }
    })

    it('prunes up to a mark but keeps the last change, so numbers go on increasing after a restart', async () => {
      const first = options.open()
      const storeId = first.store.storeId
      for (let i = 0; i < 5; i++) await first.store.insertMessage(message(`m${i}`, i))
      const last = first.store.lastChange()
      await first.store.pruneChanges(last - 2)
      expect((await changes(first.store)).map((c) => c.seq)).toEqual([last - 1, last])
      await first.store.pruneChanges(last)
      expect((await changes(first.store)).map((c) => c.key)).toEqual(['m4'])
      expect(first.store.oldestChange()).toBe(last)
      await first.store.close()

      const again = options.open(first.place)
      try {
        expect(again.store.storeId).toBe(storeId)
        expect(again.store.lastChange()).toBe(last)
        await again.store.insertMessage(message('m5', 5))
        expect(again.store.lastChange()).toBeGreaterThan(last)
        expect((await changes(again.store, last)).map((c) => c.key)).toEqual(['m5'])
      } finally {
        await again.store.close()
      }
      const other = options.open()
      try {
        expect(other.store.storeId).not.toBe(storeId)
      } finally {
        await other.store.close()
      }
    })
  })
}
