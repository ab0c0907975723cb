/**
 * @module What reading messages in time order costs at start-up (issue 15): a data dir of the
 * bench corpus's messages, then the messages read in key (id) order, as the store did, and in
 * time order along `by_time`, as `scan` now does (one lookup by id more per message), and the
 * one-time indexing of times when a data dir written before `by_time` is opened; plus the
 * `by_time` database's pages per message on disk. Run:
 * `node --import ./loader/register.mjs bench/profile/scan-order.ts 100000`
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { corpusOf } from '../corpus/index.ts'
import { insertMessages } from '../phases/port-ingest.ts'

const n = Number(process.argv[2] ?? 100_000)
const corpus = corpusOf(n)
const dir = await mkdtemp(join(tmpdir(), 'im-search-scan-order-'))
const seconds = (began: number) => ((performance.now() - began) / 1000).toFixed(2)
try {
  const writer = new LmdbRecordStore(dir)
  await insertMessages(corpus, writer, 1024)
  await writer.close()

  const env = open({ path: dir, compression: true })
  const messages = env.openDB({ name: 'messages' })
  const byTime = env.openDB({ name: 'by_time' })
  let began = performance.now()
  let read = 0
  for (const { value } of messages.getRange()) if (value) read++
  process.stdout.write(`id order:   ${read} messages in ${seconds(began)} s\n`)
  began = performance.now()
  read = 0
  for (const [, messageId] of byTime.getKeys() as Iterable<[number, string]>)
    if (messages.get(messageId)) read++
  process.stdout.write(
    `time order: ${read} messages in ${seconds(began)} s (along by_time, each got by id)\n`,
  )
  const stats = byTime.getStats() as {
    treeLeafPageCount: number
    treeBranchPageCount: number
    pageSize: number
  }
  const pages = stats.treeLeafPageCount + stats.treeBranchPageCount
  process.stdout.write(`by_time:    ${Math.round((pages * stats.pageSize) / n)} B/message on disk\n`)
  await byTime.clearAsync()
  await env.close()

  began = performance.now()
  const migrated = new LmdbRecordStore(dir)
  process.stdout.write(`indexing times at open (a data dir from before by_time): ${seconds(began)} s\n`)
  await migrated.close()
  const store = new LmdbRecordStore(dir)
  began = performance.now()
  read = 0
  let last = Number.NEGATIVE_INFINITY
  for await (const page of store.scan('messages', 1000))
    for (const m of page) {
      if (m.sentAt < last) throw new Error('scan out of time order')
      last = m.sentAt
      read++
    }
  process.stdout.write(`store.scan: ${read} messages in ${seconds(began)} s (pages of 1,000, time order)\n`)
  await store.close()
} finally {
  await rm(dir, { recursive: true, force: true })
}
