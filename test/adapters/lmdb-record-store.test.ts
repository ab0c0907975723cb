/**
 * @module The durable embedded record store against the record-store contract, and its recipient
 * lists: stored once per distinct list, rows of the earlier inline format still read.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb'
import { afterAll, describe, expect, it } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { listRef } from '../../adapters/memory/recipient-lists.ts'
import { runRecordStoreContract } from '../contract/record-store.contract.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-lmdb-'))
let n = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

runRecordStoreContract({
  name: 'lmdb',
  create: () => new LmdbRecordStore(join(root, String(n++))),
  numRuns: 40,
})

describe('recipient lists stored once', () => {
  const draft = (messageId: string, recipients: string[]) => ({
    messageId,
    conversationId: 'g1',
    senderId: 'u1',
    type: 'text',
    content: `共享收件人 ${messageId}`,
    sentAt: 1_700_000_000_000,
    conversationType: 'group' as const,
    recipients,
  })

  it('reads rows written with their recipients inline, beside rows that name a shared list', async () => {
    const dir = join(root, 'legacy')
    const env = open({ path: dir, compression: true })
    const legacy = { ...draft('old', ['u1', 'u2']), sequenceId: 1 }
    await env.openDB({ name: 'messages' }).put('old', legacy)
    await env.openDB({ name: 'timeline' }).put(['g1', 1], 'old')
    await env.openDB({ name: 'last_sequence' }).put('g1', 1)
    await env.close()

    const store = new LmdbRecordStore(dir)
    try {
      const inserted = await store.insertMessage(draft('new', ['u1', 'u2']))
      expect(inserted).toMatchObject({ created: true, message: { sequenceId: 2 } })
      expect(await store.getMessage('old')).toEqual(legacy)
      expect(await store.getMessage('new')).toEqual({ ...draft('new', ['u1', 'u2']), sequenceId: 2 })
      const history = await store.history('g1', { direction: 'forward', limit: 10 })
      expect(history.map((m) => [m.messageId, m.recipients])).toEqual([
        ['old', ['u1', 'u2']],
        ['new', ['u1', 'u2']],
      ])
      expect(await store.deleteMessage('old')).toEqual(legacy)
    } finally {
      await store.close()
    }
  })

  it('keeps the ids inline when another list has the same key (a hash collision)', async () => {
    const dir = join(root, 'collision')
    const env = open({ path: dir, compression: true })
    await env.openDB({ name: 'recipient_lists' }).put(listRef(['u1', 'u2']), ['u9'])
    await env.close()

    const store = new LmdbRecordStore(dir)
    try {
      await store.insertMessage(draft('m1', ['u1', 'u2']))
      expect((await store.getMessage('m1'))?.recipients).toEqual(['u1', 'u2'])
      const scanned = []
      for await (const page of store.scan('messages', 10)) scanned.push(...page)
      expect(scanned.map((m) => m.recipients)).toEqual([['u1', 'u2']])
    } finally {
      await store.close()
    }
  })

  it('shares one frozen array between the messages of a list', async () => {
    const store = new LmdbRecordStore(join(root, 'shared'))
    try {
      await store.insertMessage(draft('a', ['u1', 'u2', 'u3']))
      await store.insertMessage(draft('b', ['u1', 'u2', 'u3']))
      const [a, b] = await Promise.all([store.getMessage('a'), store.getMessage('b')])
      expect(a?.recipients).toBe(b?.recipients)
      expect(Object.isFrozen(a?.recipients)).toBe(true)
    } finally {
      await store.close()
    }
  })
})
