/**
 * @module What the embedded record stores promise the index builder beyond the record-store
 * contract: cheap counts that size the indexes before they are built (issue 15). Run by the
 * embedded stores' test files.
 */
import { describe, expect, it } from 'vitest'
import type { RecordKind, RecordScanner, RecordStore } from '../../src/ports/record-store.ts'

export interface RecordScannerContractOptions {
  name: string
  /** A fresh, empty store. */
  create: () => RecordStore & Required<RecordScanner>
}

async function scanned(store: RecordScanner, kind: RecordKind): Promise<number> {
  let n = 0
  for await (const page of store.scan(kind, 2)) n += page.length
  return n
}

export function runRecordScannerContract(options: RecordScannerContractOptions): void {
  describe(`RecordScanner: ${options.name}`, () => {
    it('scans messages oldest first, whatever the order of their ids, after deletes too', async () => {
      const store = options.create()
      try {
        // Ids in the opposite order to time, times not in insertion order, two conversations.
        const sent = [5, 1, 4, 2, 3, 6].map((minute, i) => ({ messageId: `m${9 - i}`, minute }))
        for (const { messageId, minute } of sent)
          await store.insertMessage({
            messageId,
            conversationId: minute % 2 === 0 ? 'c1' : 'c2',
            senderId: 'u1',
            type: 'text',
            content: `第${minute}分钟 hello`,
            sentAt: 1_735_689_600_000 + minute * 60_000,
            conversationType: 'single',
            recipients: ['u1', 'u2'],
          })
        await store.deleteMessage('m6') // minute 2
        const order: number[] = []
        for await (const page of store.scan('messages', 2))
          for (const m of page) order.push((m.sentAt - 1_735_689_600_000) / 60_000)
        expect(order).toEqual([1, 3, 4, 5, 6])
      } finally {
        await store.close()
      }
    })

    it('counts every kind as the scan finds it, after inserts and deletes', async () => {
      const store = options.create()
      try {
        expect(await store.counts()).toEqual({ users: 0, groups: 0, contacts: 0, messages: 0 })
        await store.putUser({ userId: 'u1', name: '张伟', tags: [], discoverable: true, profile: {} })
        await store.putUser({
          userId: 'u2',
          name: 'Jennifer Smith',
          tags: [],
          discoverable: true,
          profile: {},
        })
        await store.putContacts([
          { userId: 'u1', contactId: 'u2', addedAt: 1 },
          { userId: 'u2', contactId: 'u1', nickname: '老板', addedAt: 1 },
        ])
        for (const messageId of ['m1', 'm2', 'm3'])
          await store.insertMessage({
            messageId,
            conversationId: 'c1',
            senderId: 'u1',
            type: 'text',
            content: `今天 coffee ${messageId}`,
            sentAt: 1_735_689_600_000,
            conversationType: 'single',
            recipients: ['u1', 'u2'],
          })
        await store.deleteMessage('m2')
        const counts = await store.counts()
        expect(counts).toEqual({ users: 2, groups: 0, contacts: 2, messages: 2 })
        for (const kind of Object.keys(counts) as RecordKind[])
          expect(await scanned(store, kind)).toBe(counts[kind])
      } finally {
        await store.close()
      }
    })
  })
}
