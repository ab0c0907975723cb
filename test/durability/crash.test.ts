/**
 * @module Durability (issue 6), on both backends: a process killed with SIGKILL at any moment
 * loses no acknowledged write, and the store it leaves serves correct results after restart. For
 * Tablestore the emulator runs in this process and the killed writers are its clients.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createTablestoreBackend, createTablestoreRecordStore } from '../../adapters/tablestore/index.ts'
import { startEmulator } from '../../emulator/index.ts'
import type { RecordScanner, RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { createServices } from '../../src/services/index.ts'
import { buildIndexes } from '../../src/services/index-builder.ts'
import { emulatorOptions } from '../tablestore/emulator-options.ts'
import { GROUP_MEMBERS } from './crash-message.ts'
import { runUntilKilled } from './killed-child.ts'

const CHILD = join(import.meta.dirname, 'ingest-child.ts')
const RUNS = Number(process.env.IMSEARCH_CRASH_RUNS ?? 6)
const dir = mkdtempSync(join(tmpdir(), 'imsearch-crash-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the child until it has acknowledged `killAfter` writes, then kills it; resolves with the acks. */
async function ingestUntilKilled(
  where: string,
  prefix: string,
  killAfter: number,
): Promise<Map<string, number>> {
  const acks = new Map<string, number>()
  await runUntilKilled(CHILD, [where, prefix], (line) => {
    const [kind, id, seq] = line.split(' ')
    if (kind === 'ack' && id && seq) acks.set(id, Number(seq))
    return acks.size >= killAfter
  })
  return acks
}

/** `runs` writers, each killed early or late: a few writes in, or well into a run of commits. */
async function crashRepeatedly(where: string, runs: number): Promise<Map<string, number>> {
  const acknowledged = new Map<string, number>()
  for (let run = 0; run < runs; run++) {
    const acks = await ingestUntilKilled(where, `r${run}`, [3, 40, 150][run % 3] as number)
    for (const [id, seq] of acks) acknowledged.set(id, seq)
  }
  return acknowledged
}

/** Every acknowledged write is stored with its sequence id, found by search, and the sequence goes on. */
async function expectSurvivors(
  store: RecordStore & RecordScanner,
  backend: SearchBackend,
  acknowledged: Map<string, number>,
) {
  for (const [id, seq] of acknowledged) {
    const message = await store.getMessage(id)
    expect(message?.sequenceId, id).toBe(seq)
    // Its recipients as sent: g1's members (u6 or not, by when it was sent), or the direct pair.
    const group = message?.conversationId === 'g1'
    const expected = group ? ['u1', ...GROUP_MEMBERS] : ['u1', 'u3']
    expect([...(message?.recipients ?? [])].filter((r) => r !== 'u6').sort(), id).toEqual(expected.sort())
  }
  // Sequence ids stay unique and increasing, and history reads what the store holds.
  for (const conversation of ['g1', 'dm:u1:u3']) {
    const history = await store.history(conversation, { direction: 'forward', limit: 100_000 })
    const seqs = history.map((m) => m.sequenceId)
    expect(new Set(seqs).size).toBe(seqs.length)
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs)
  }
  const services = createServices({ store, backend })
  const found = new Set<string>()
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await services.messages.search('u1', { q: '消息', limit: 100, cursor })
    for (const hit of page.hits) found.add(hit.messageId)
    cursor = page.nextCursor
  }
  for (const id of acknowledged.keys()) expect(found.has(id), id).toBe(true)
  // A new write after the crashes continues the group's sequence.
  const { receipt } = await services.ingestion.postMessage({
    messageId: 'after-crash',
    conversationId: 'g1',
    senderId: 'u1',
    type: 'text',
    content: '恢复之后',
  })
  const maxSeq = Math.max(
    0,
    ...[...acknowledged].filter(([id]) => Number(id.split('-')[1]) % 2 === 0).map(([, s]) => s),
  )
  expect(receipt.sequenceId).toBeGreaterThan(maxSeq)
}

describe('embedded store: kill -9 during ingestion', () => {
  it(`loses no acknowledged write over ${RUNS} crashes and serves correct results after`, async () => {
    const acknowledged = await crashRepeatedly(dir, RUNS)
    const store = new LmdbRecordStore(dir)
    try {
      // After a restart the indexes are rebuilt from the records.
      const backend = createMemoryBackend()
      await buildIndexes(store, backend)
      await expectSurvivors(store, backend, acknowledged)
    } finally {
      await store.close()
    }
  })
})

describe('Tablestore: kill -9 during ingestion', () => {
  it('loses no acknowledged write over 3 crashes, and every one is searchable', async () => {
    // No index lag: a write acknowledged by a killed writer cannot be settled by another process.
    const emu = await startEmulator({ port: 0 })
    try {
      const options = emulatorOptions(emu, 'crash_')
      const acknowledged = await crashRepeatedly(JSON.stringify(options), 3)
      await expectSurvivors(
        createTablestoreRecordStore(options),
        createTablestoreBackend(options),
        acknowledged,
      )
    } finally {
      await emu.close()
    }
  })
})
