/**
 * @module A batch of messages on Tablestore (issue #12: a batch of 100 in a dozen requests):
 * through the service, each item gets what it would get alone (replays, conflicts, 403, 400), and
 * the new messages of a conversation get sequence ids in batch order even when the server hands
 * out a batch's auto-increment values in another order (the docs do not promise that order).
 */
import { describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions, type TablestoreOptions } from '../../adapters/tablestore/config.ts'
import {
  createTablestoreBackend,
  createTablestoreRecordStore,
  TablestoreRecordStore,
} from '../../adapters/tablestore/index.ts'
import { tableNames } from '../../adapters/tablestore/schema.ts'
import type { MessageInput } from '../../src/domain/message.ts'
import type { MessageDraft } from '../../src/ports/record-store.ts'
import { Ingestion } from '../../src/services/ingestion.ts'
import { emulatorOptions, useTablestoreEmulator } from './emulator-options.ts'

const emu = useTablestoreEmulator(0)
let run = 0
const options = (): TablestoreOptions => emulatorOptions(emu(), `batch${++run}_`)

const input = (messageId: string, conversationId: string, senderId = 'u1', content = `内容 ${messageId}`) =>
  ({ messageId, conversationId, senderId, type: 'text', content }) as MessageInput

describe('a batch of messages on Tablestore', () => {
  it('each item as alone: replays, conflicts, non-members and missing recipients', async () => {
    const o = options()
    const store = createTablestoreRecordStore(o)
    const backend = createTablestoreBackend(o)
    try {
      const ingestion = new Ingestion({ store, backend })
      await ingestion.putGroup('g1', {
        name: '项目组',
        description: '',
        tags: [],
        visibility: 'public',
        ownerId: 'u1',
      })
      await ingestion.addMember('g1', 'u2')
      const before = await ingestion.postMessage({ ...input('old', 'g1'), recipients: undefined })
      const items = await ingestion.postMessages([
        input('a', 'g1'),
        input('old', 'g1'),
        input('old', 'g1', 'u1', 'changed'),
        input('b', 'g1', 'u3'),
        input('c', 'dm:u1:u2'),
        { ...input('d', 'dm:u1:u2', 'u2'), recipients: ['u1'] },
        input('a', 'g1'),
        input('a', 'g1', 'u2'),
        input('e', 'g1', 'u2'),
      ])
      const statuses = items.map((i) => ('outcome' in i ? (i.outcome.created ? 201 : 200) : i.refusal.status))
      expect(statuses).toEqual([201, 200, 409, 403, 400, 201, 200, 409, 201])
      const receipt = (at: number) => {
        const item = items[at]
        return item && 'outcome' in item ? item.outcome.receipt : undefined
      }
      expect(receipt(1)).toEqual(before.receipt)
      expect(receipt(6)).toEqual(receipt(0))
      expect(receipt(0)?.sequenceId).toBeGreaterThan(before.receipt.sequenceId)
      expect(receipt(8)?.sequenceId).toBeGreaterThan(receipt(0)?.sequenceId ?? Number.POSITIVE_INFINITY)
      expect(await store.getMessage('e')).toMatchObject({
        recipients: ['u1', 'u2'],
        conversationType: 'group',
      })
      expect(await store.getMessage('d')).toMatchObject({
        recipients: ['u2', 'u1'],
        conversationType: 'single',
      })
      expect(await store.getMessage('b')).toBeUndefined()
    } finally {
      await backend.close()
      await store.close()
    }
  })

  it('hands out sequence ids in batch order when the server assigns them in another', async () => {
    const o = options()
    // A client that sends each auto-increment batch in reverse and reverses the answer back: the
    // emulator then assigns the values in the opposite order to the drafts'.
    const client = new TablestoreClient(resolveOptions(o))
    const call = client.call.bind(client)
    const messageTable = tableNames(o.tablePrefix ?? '').message
    client.call = (async (op, params, callOptions) => {
      const table = (params.tables as { tableName: string; rows: unknown[] }[] | undefined)?.[0]
      const autoIncrement =
        op === 'batchWriteRow' &&
        table?.tableName === messageTable &&
        JSON.stringify(table.rows).includes('returnContent')
      if (!autoIncrement || !table) return call(op, params, callOptions)
      const reversed = { ...params, tables: [{ ...table, rows: [...table.rows].reverse() }] }
      const result = (await call(op, reversed, callOptions)) as { tables: unknown[] }
      return { ...result, tables: [...result.tables].reverse() }
    }) as typeof client.call
    const store = new TablestoreRecordStore(o, client)
    try {
      const drafts: MessageDraft[] = Array.from({ length: 12 }, (_, n) => ({
        messageId: `r${n}`,
        conversationId: n % 3 === 0 ? '会话' : 'c2',
        senderId: 'u1',
        type: 'text',
        content: `第${n}条`,
        sentAt: 1_735_689_600_000 + n,
        conversationType: 'single',
        recipients: ['u1', 'u2'],
      }))
      const results = await store.insertMessages(drafts)
      expect(results.every((r) => r.created)).toBe(true)
      for (const conversation of ['会话', 'c2']) {
        const history = await store.history(conversation, { direction: 'forward', limit: 100 })
        const expected = drafts.filter((d) => d.conversationId === conversation).map((d) => d.messageId)
        expect(history.map((m) => m.messageId)).toEqual(expected)
        expect(history).toEqual(
          results.map((r) => r.message).filter((m) => m.conversationId === conversation),
        )
      }
      for (const r of results) expect(await store.getMessage(r.message.messageId)).toEqual(r.message)
      // The same id twice: the second is answered as a second insert would be.
      const twice = await store.insertMessages([
        { ...(drafts[0] as MessageDraft), messageId: 'dup' },
        { ...(drafts[0] as MessageDraft), messageId: 'dup' },
      ])
      expect(twice.map((r) => r.created)).toEqual([true, false])
      expect(twice[1]?.message).toEqual(twice[0]?.message)
    } finally {
      await store.close()
    }
  })
})
