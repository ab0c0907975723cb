/**
 * @module Discovery alone, at the user count of an N-message corpus without its messages (the
 * population is small and built eagerly; discovery never reads messages): users and groups indexed
 * through the port, the relation tables filled, then each discovery query timed as the bench does,
 * by the bench's caller (the user nearest to seeing 1% of the messages, counted by generating them). With `--profile DIR`, each
 * query is repeated for a second under the inspector's profiler (`discovery-<kind>.cpuprofile`).
 * `node --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/discovery-profile.ts 1000000 [--profile DIR]`
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { groupDocument, userDocument } from '../../src/services/documents.ts'
import { createServices } from '../../src/services/index.ts'
import { corpusEvents, corpusOf } from '../corpus/index.ts'
import { measure } from '../lib/stats.ts'
import { BATCH, fillStore } from '../phases/port-ingest.ts'
import { DISCOVERY_QUERIES } from '../phases/queries.ts'
import { toGroup, toUser } from '../phases/records.ts'

const n = Number(process.argv[2] ?? 1_000_000)
const profileAt = process.argv.indexOf('--profile')
const profileDir = profileAt > 0 ? process.argv[profileAt + 1] : undefined
const corpus = corpusOf(n)
const backend = createMemoryBackend()
const store = new MemoryRecordStore()
const users = corpus.users.map(toUser)
for (let i = 0; i < users.length; i += BATCH)
  await backend.index('users', users.slice(i, i + BATCH).map(userDocument))
const groups = corpus.groups.map((g) => toGroup(corpus, g))
for (let i = 0; i < groups.length; i += BATCH)
  await backend.index('groups', groups.slice(i, i + BATCH).map(groupDocument))
await fillStore(corpus, store)
const services = createServices({ store, backend })
// The bench's caller: the user who sees the nearest to 1% of the messages (generated, not indexed).
const visible = new Int32Array(corpus.users.length)
for (const event of corpusEvents(corpus))
  if (event.kind === 'message') for (const i of event.message.recipientIdx) visible[i]!++
const target = 0.01 * n
let best = 0
for (let i = 0; i < visible.length; i++)
  if (visible[i]! > 0 && Math.abs(visible[i]! - target) < Math.abs(visible[best]! - target)) best = i
const caller = corpus.users[best]!.userId
const contacts = (await store.contactsOf(caller)).length
process.stdout.write(`${corpus.users.length} users, caller ${caller} with ${contacts} contacts\n`)

const budget = { warmup: 20, minRuns: 100, maxRuns: 3000, maxMs: 2000 }
for (const q of DISCOVERY_QUERIES) {
  const run = () => services.discovery.searchUsers(caller, q.params)
  const once = await run()
  const latency = await measure(run, budget)
  process.stdout.write(
    `${q.kind.padEnd(12)} total ${String(once.total).padStart(6)}  p50 ${latency.p50.toFixed(2)} ms  p99 ${latency.p99.toFixed(2)} ms  mean ${latency.mean.toFixed(2)} ms  (${latency.runs} runs)\n`,
  )
}
if (profileDir) {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  for (const q of DISCOVERY_QUERIES) {
    await session.post('Profiler.start')
    const until = performance.now() + 1000
    while (performance.now() < until) await services.discovery.searchUsers(caller, q.params)
    const { profile } = await session.post('Profiler.stop')
    writeFileSync(join(profileDir, `discovery-${q.kind}.cpuprofile`), JSON.stringify(profile))
  }
  session.disconnect()
}
