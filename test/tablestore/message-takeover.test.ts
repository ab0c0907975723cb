/**
 * @module Crash recovery of message ingestion on the emulator: a writer that died after claiming
 * a message id (and maybe after writing the message row) leaves a pending id row; the next insert
 * of that id completes it without a second message.
 */
import { describe, expect, it } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions, type TablestoreOptions } from '../../adapters/tablestore/config.ts'
import { createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { messageColumns } from '../../adapters/tablestore/record-codec.ts'
import { cells, condition } from '../../adapters/tablestore/rows.ts'
import { tableNames } from '../../adapters/tablestore/schema.ts'
import { loadSdk, long } from '../../adapters/tablestore/sdk.ts'
import type { MessageDraft } from '../../src/ports/record-store.ts'
import { emulatorOptions, useTablestoreEmulator } from './emulator-options.ts'

const emu = useTablestoreEmulator(0)
let run = 0

const draft: MessageDraft = {
  messageId: 'm1',
  conversationId: 'c1',
  senderId: 'u1',
  type: 'text',
  content: '崩溃之后',
  sentAt: 1_735_689_600_000,
  conversationType: 'single',
  recipients: ['u1', 'u2'],
}

async function setup() {
  const options: TablestoreOptions = { ...emulatorOptions(emu(), `crash${++run}_`), insertLeaseMs: 50 }
  const store = createTablestoreRecordStore(options)
  await store.getMessage('warm-up') // creates the tables
  const client = new TablestoreClient(resolveOptions(options))
  const t = tableNames(options.tablePrefix ?? '')
  /** What a writer that died after step 1 leaves behind. */
  const claim = () =>
    client.call('putRow', {
      tableName: t.messageId,
      condition: condition('EXPECT_NOT_EXIST'),
      primaryKey: cells({ message_id: draft.messageId }),
      attributeColumns: cells({
        timeline_id: draft.conversationId,
        owner: 'dead',
        claimed_at: long(Date.now() - 1000),
      }),
    })
  /** ... and after step 2. */
  const storeRow = () =>
    client.call('putRow', {
      tableName: t.message,
      condition: condition('IGNORE'),
      primaryKey: cells({ timeline_id: draft.conversationId, sequence_id: loadSdk().PK_AUTO_INCR }),
      attributeColumns: cells({ ...messageColumns(draft), owner: 'dead', stored_at: long(Date.now()) }),
    })
  return { store, claim, storeRow }
}

describe('message ingestion after a crash', () => {
  it('a claim without a message row: the retry writes the message once', async () => {
    const { store, claim } = await setup()
    await claim()
    const result = await store.insertMessage(draft)
    expect(result.created).toBe(true)
    expect(await store.insertMessage(draft)).toEqual({ message: result.message, created: false })
    expect(await store.history('c1', { direction: 'forward', limit: 10 })).toEqual([result.message])
  })

  it('a claim and a message row: the retry completes the id with that row', async () => {
    const { store, claim, storeRow } = await setup()
    await claim()
    await storeRow()
    const result = await store.insertMessage({ ...draft, content: 'a retry with other content' })
    expect(result.message.content).toBe(draft.content)
    const history = await store.history('c1', { direction: 'forward', limit: 10 })
    expect(history).toEqual([result.message])
    expect(await store.getMessage('m1')).toEqual(result.message)
  })
})
