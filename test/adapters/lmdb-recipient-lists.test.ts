/**
 * @module The LMDB store's recipient lists stored once (issue 15, durable ingest): every read
 * answers each message's recipients as written, against a map as the oracle, across batches,
 * single inserts, replays, recalls and reopening the data dir; rows of the earlier format (the
 * ids inline) still read; a different list under a list's key is detected and kept inline.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { open } from 'lmdb'
import { afterAll, describe, expect, it } from 'vitest'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { listKey, SHARED_MIN } from '../../adapters/memory/recipient-lists.ts'
import type { Message } from '../../src/domain/message.ts'
import type { MessageDraft } from '../../src/ports/record-store.ts'

const root = mkdtempSync(join(tmpdir(), 'imsearch-lists-'))
let n = 0
afterAll(() => rmSync(root, { recursive: true, force: true }))

const USERS = ['u1', 'u2', 'u3', '张伟', 'li.na', 'wang@x', 'u7', 'u8', 'u9']

const draft = (id: number, conversationId: string, recipients: readonly string[]): MessageDraft => ({
  messageId: `m${id}`,
  conversationId,
  senderId: recipients[0] ?? 'u1',
  type: 'text',
  content: `消息 ${id} message`,
  sentAt: 1_735_689_600_000 + id,
  conversationType: recipients.length > 2 ? 'group' : 'single',
  recipients: recipients as string[],
})

/** Every way the store answers a message, each checked against the oracle's recipients. */
async function expectRecipients(store: LmdbRecordStore, oracle: Map<string, readonly string[]>) {
  const ids = [...oracle.keys()]
  for (const id of ids) expect((await store.getMessage(id))?.recipients, id).toEqual(oracle.get(id))
  const many = await store.getMessages(ids)
  expect(new Map(many.map((m) => [m.messageId, m.recipients]))).toEqual(oracle)
  const scanned = new Map<string, readonly string[]>()
  for await (const page of store.scan('messages', 7))
    for (const m of page) scanned.set(m.messageId, m.recipients)
  expect(scanned).toEqual(oracle)
  const history: Message[] = []
  for (const c of ['c1', 'c2'])
    history.push(...(await store.history(c, { direction: 'forward', limit: 1000 })))
  expect(new Map(history.map((m) => [m.messageId, m.recipients]))).toEqual(oracle)
}

describe('LMDB recipient lists stored once', () => {
  it('every read answers the recipients written, across batches, replays, recalls and reopening', async () => {
    // Lists short and long; the same list as one shared (frozen) array or as equal copies.
    const list = fc
      .tuple(fc.subarray(USERS, { minLength: 1 }), fc.boolean(), fc.boolean())
      .map(([ids, frozen, copy]) => ({ ids, frozen, copy }))
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('batch' as const),
        items: fc.array(
          fc.record({
            id: fc.integer({ min: 0, max: 40 }),
            conversation: fc.constantFrom('c1', 'c2'),
            list: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        id: fc.integer({ min: 0, max: 40 }),
        list: fc.integer({ min: 0, max: 5 }),
      }),
      fc.record({ kind: fc.constant('recall' as const), id: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('reopen' as const) }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(list, { minLength: 6, maxLength: 6 }),
        fc.array(op, { maxLength: 25 }),
        async (lists, ops) => {
          const shared = lists.map(({ ids, frozen }) => (frozen ? Object.freeze([...ids]) : [...ids]))
          const recipientsOf = (at: number) => {
            const l = lists[at] as (typeof lists)[number]
            return l.copy ? [...l.ids] : (shared[at] as readonly string[])
          }
          const place = join(root, String(n++))
          let store = new LmdbRecordStore(place)
          const oracle = new Map<string, readonly string[]>()
          try {
            for (const o of ops) {
              if (o.kind === 'batch') {
                const drafts = o.items.map((i) => draft(i.id, i.conversation, recipientsOf(i.list)))
                const results = await store.insertMessages(drafts)
                // The first of an id is stored; an id stored before, or again in the batch, is a replay.
                drafts.forEach((d, at) => {
                  const created = !oracle.has(d.messageId)
                  expect(results[at]?.created, d.messageId).toBe(created)
                  if (created) oracle.set(d.messageId, [...d.recipients])
                  expect(results[at]?.message.recipients).toEqual(oracle.get(d.messageId))
                })
              } else if (o.kind === 'insert') {
                const d = draft(o.id, 'c1', recipientsOf(o.list))
                const { created, message } = await store.insertMessage(d)
                expect(created).toBe(!oracle.has(d.messageId))
                if (created) oracle.set(d.messageId, [...d.recipients])
                expect(message.recipients).toEqual(oracle.get(d.messageId))
              } else if (o.kind === 'recall') {
                const removed = await store.deleteMessage(`m${o.id}`)
                expect(removed?.recipients).toEqual(oracle.get(`m${o.id}`))
                oracle.delete(`m${o.id}`)
              } else {
                await store.close()
                store = new LmdbRecordStore(place)
              }
            }
            await expectRecipients(store, oracle)
            expect((await store.counts()).messages).toBe(oracle.size)
          } finally {
            await store.close()
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  it('a long list is stored once, not in every row; a direct message keeps its ids inline', async () => {
    const place = join(root, String(n++))
    const store = new LmdbRecordStore(place)
    const members = Object.freeze(USERS.slice(0, SHARED_MIN + 2))
    await store.insertMessages([
      draft(1, 'c1', members),
      draft(2, 'c1', members),
      draft(3, 'c2', ['u1', 'u2']),
    ])
    await store.insertMessage(draft(4, 'c1', [...members]))
    await store.close()
    const env = open({ path: place, noSubdir: false, maxDbs: 32 })
    try {
      const rows = env.openDB<{ recipients: unknown }, string>({ name: 'messages' })
      const lists = env.openDB<string[], string>({ name: 'recipient_lists' })
      const key = listKey(members)
      for (const id of ['m1', 'm2', 'm4']) expect(rows.get(id)?.recipients).toBe(key)
      expect(rows.get('m3')?.recipients).toEqual(['u1', 'u2'])
      expect([...lists.getKeys()]).toEqual([key])
      expect(lists.get(key)).toEqual(members)
    } finally {
      await env.close()
    }
  })

  it('a batch that throws midway stores none of it; its list is stored by the next write naming it', async () => {
    const place = join(root, String(n++))
    const members = Object.freeze(USERS.slice(0, SHARED_MIN + 1))
    // The second draft throws once the first has put its row and the list.
    const broken = Object.defineProperty({ ...draft(2, 'c1', members) }, 'content', {
      enumerable: true,
      get: () => {
        throw new Error('a draft that cannot be written')
      },
    })
    let store = new LmdbRecordStore(place)
    try {
      await expect(store.insertMessages([draft(1, 'c1', members), broken])).rejects.toThrow(
        /cannot be written/,
      )
      expect(await store.getMessage('m1')).toBeUndefined()
      await store.insertMessages([draft(3, 'c1', members)])
      await store.insertMessages([draft(4, 'c1', members)])
      await store.close()
      store = new LmdbRecordStore(place)
      await expectRecipients(
        store,
        new Map([
          ['m3', members],
          ['m4', members],
        ]),
      )
      const history = await store.history('c1', { direction: 'forward', limit: 10 })
      expect(history.map((m) => [m.messageId, m.sequenceId])).toEqual([
        ['m3', 1],
        ['m4', 2],
      ])
    } finally {
      await store.close()
    }
  })

  it('reads rows of the earlier format (ids inline) and writes after them', async () => {
    const place = join(root, String(n++))
    const long = USERS.slice(0, SHARED_MIN + 3)
    const old = { ...draft(1, 'c1', long), sequenceId: 1 }
    // The earlier format: the whole message as the row, no list database.
    const env = open({ path: place, compression: true, noSubdir: false })
    await env.transaction(() => {
      env.openDB({ name: 'messages' }).putSync(old.messageId, old)
      env.openDB({ name: 'timeline' }).putSync(['c1', 1], old.messageId)
      env.openDB({ name: 'last_sequence' }).putSync('c1', 1)
    })
    await env.close()
    const store = new LmdbRecordStore(place)
    try {
      expect(await store.getMessage('m1')).toEqual(old)
      const again = await store.insertMessage(draft(1, 'c1', long))
      expect(again).toEqual({ message: old, created: false })
      await store.insertMessages([draft(2, 'c1', long)])
      await expectRecipients(
        store,
        new Map([
          ['m1', long],
          ['m2', long],
        ]),
      )
    } finally {
      await store.close()
    }
  })

  it('a different list under a list key is detected: the row keeps its ids inline', async () => {
    const place = join(root, String(n++))
    const mine = USERS.slice(0, SHARED_MIN + 1)
    const other = USERS.slice(1, SHARED_MIN + 3)
    // As if another list hashed to the same key (a SHA-256 collision, made here by hand).
    const env = open({ path: place, noSubdir: false, maxDbs: 32 })
    await env.transaction(() => env.openDB({ name: 'recipient_lists' }).putSync(listKey(mine), other))
    await env.close()
    const writer = new LmdbRecordStore(place)
    await writer.insertMessages([draft(1, 'c1', Object.freeze(mine)), draft(2, 'c1', other)])
    await writer.close()
    // Read by a fresh store: nothing kept from the writes.
    const store = new LmdbRecordStore(place)
    try {
      await expectRecipients(
        store,
        new Map<string, readonly string[]>([
          ['m1', mine],
          ['m2', other],
        ]),
      )
    } finally {
      await store.close()
    }
  })
})
