/**
 * @module The bench's data dir as a phase of its own (issue 15: ten million messages), resumable:
 * writes the corpus to an LMDB data dir as `npm start` runs on it (users, groups, memberships,
 * contacts, then every message, 1,024 writes in flight), picking up where a stopped run left off
 * (writes commit in corpus order, and inserting a stored message again changes nothing); then
 * times fresh processes starting on it: cold (no index snapshot: every index rebuilt from the
 * records, and one saved) unless a snapshot is there already, and warm (the snapshot loaded);
 * then the main bench's message and discovery queries in a process started warm
 * (`phases/latency-child.ts`). Prints one JSON object on stdout.
 *
 *   npm run bench:data-dir -- --messages 10000000 --dir /var/tmp/im-search-10m [--seed S]
 */
import { fileURLToPath } from 'node:url'
import { LmdbRecordStore } from '../adapters/memory/lmdb-record-store.ts'
import { serviceFlags } from '../src/cli/start.ts'
import { machineMemory } from '../src/services/memory-budget.ts'
import { corpusOf } from './corpus/index.ts'
import { calibrate, compareCalibrations } from './lib/calibration.ts'
import { childReply } from './lib/child-reply.ts'
import { describeMachine } from './lib/machine.ts'
import { Progress } from './lib/progress.ts'
import { sizeOf, startUp } from './phases/data-dir.ts'
import type { DiscoveryLatency, MessageLatency } from './phases/ours.ts'
import type { Searcher } from './phases/pick-users.ts'
import { fillStore, insertMessages } from './phases/port-ingest.ts'

const LATENCY_CHILD = fileURLToPath(new URL('./phases/latency-child.ts', import.meta.url))

/** Writes in flight, as in the main bench's data-dir phase. */
const IN_FLIGHT = 1024

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at < 0 ? undefined : process.argv[at + 1]
}

const messages = Number((option('--messages') ?? '1000000').replaceAll('_', ''))
const dir = option('--dir')
const seed = option('--seed')
if (!dir || !Number.isInteger(messages) || messages < 1)
  throw new Error('usage: npm run bench:data-dir -- --messages N --dir DIR [--seed S]')

const began = performance.now()
const calibrationStart = calibrate()
const corpus = corpusOf(messages, seed === undefined ? undefined : Number(seed))
const store = new LmdbRecordStore(dir)
const before = await store.counts()
if (before.users < corpus.users.length || before.groups < corpus.groups.length)
  await fillStore(corpus, store, IN_FLIGHT)
// Writes commit in the order they were made, so what is stored is a prefix of the corpus; the
// last writes in flight are made again (a stored message is answered, not stored twice).
const skip = Math.max(0, before.messages - IN_FLIGHT)
const progress = new Progress('write the data dir (LMDB)', messages - skip)
const writing = performance.now()
await insertMessages(corpus, store, IN_FLIGHT, () => progress.tick(), skip)
const writeSeconds = (performance.now() - writing) / 1000
progress.finish()
const stored = (await store.counts()).messages
await store.close()
if (stored !== messages) throw new Error(`the data dir holds ${stored} messages, not ${messages}`)

const { bytes } = await sizeOf(dir)
const hasSnapshot = await sizeOf(`${dir}/index-snapshot`).then(
  (s) => s.bytes > 0,
  () => false,
)
process.stderr.write(
  `data dir written; start-up ${hasSnapshot ? '(warm only: a snapshot is there)' : '(cold, then warm)'}\n`,
)
const cold = hasSnapshot ? undefined : await startUp(dir, 'rebuilt')
const warm = await startUp(dir, 'snapshot')
const snapshot = await sizeOf(`${dir}/index-snapshot`)
process.stderr.write('start-ups timed; query latencies next\n')
const latency = (await childReply(LATENCY_CHILD, {
  name: 'the latency child',
  args: [dir, String(messages), String(corpus.config.seed)],
  nodeFlags: serviceFlags(process.env.NODE_OPTIONS, machineMemory()),
})) as { searchers: Searcher[]; messages: MessageLatency[]; discovery: DiscoveryLatency[] }
const calibrationEnd = calibrate()
process.stdout.write(
  `${JSON.stringify(
    {
      messages,
      seed: corpus.config.seed,
      machine: await describeMachine(),
      calibration: compareCalibrations(calibrationStart, calibrationEnd),
      dataDirBytes: bytes,
      written: { messages: messages - skip, seconds: Math.round(writeSeconds), resumedAt: skip },
      coldStartup: cold && { seconds: cold.seconds, heapBytes: cold.heapBytes, rssBytes: cold.rssBytes },
      warmStartup: { seconds: warm.seconds, heapBytes: warm.heapBytes, rssBytes: warm.rssBytes },
      startedHeapBytesPerMessage: Math.round(warm.heapBytes / messages),
      snapshotBytes: snapshot.bytes,
      searchers: latency.searchers,
      p99Ms: Object.fromEntries([
        ...latency.messages.map((q) => [`${q.kind}@${q.audience}`, q.filtered.p99]),
        ...latency.discovery.map((q) => [q.kind, q.latency.p99]),
      ]),
      search: { messages: latency.messages, discovery: latency.discovery },
      totalSeconds: Math.round((performance.now() - began) / 1000),
    },
    null,
    2,
  )}\n`,
)
