/**
 * @module How close the embedded engine's `/metrics` memory figures (`memoryUsage()`) come to the
 * heap it measures: the messages index built over the bench corpus, heap plus typed-array buffers
 * after full GCs before and after, against the sum of the reported parts. Documents pass through
 * JSON first, so that they hold their own strings as after a start-up from LMDB (the bench's
 * ingest shares the corpus's strings, which its heap figure then leaves out). Run:
 * `node --expose-gc --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/memory-usage-check.ts 100000`
 */
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { corpusMessages, corpusOf } from '../corpus/index.ts'
import { settle } from '../lib/memory.ts'

const n = Number(process.argv[2] ?? 100_000)
const corpus = corpusOf(n)
const backend = new MemoryBackend()
const before = settle()
let batch: ReturnType<typeof messageDocument>[] = []
for (const m of corpusMessages(corpus)) {
  // Through JSON: fresh strings, as a document decoded from LMDB or HTTP has, not the corpus's.
  batch.push(JSON.parse(JSON.stringify(messageDocument(m))))
  if (batch.length === 500) {
    await backend.index('messages', batch)
    batch = []
  }
}
await backend.index('messages', batch)
const after = settle()
backend.memoryUsage() // warm, as every scrape after the first
const began = performance.now()
const usage = backend.memoryUsage()
const took = performance.now() - began
const parts = usage.filter((p) => p.index === 'messages')
const reported = parts.reduce((sum, p) => sum + p.bytes, 0)
const measured = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers
for (const p of parts)
  process.stdout.write(
    `${p.part.padEnd(16)} ${String(Math.round(p.bytes / n)).padStart(6)} B/message${p.exact ? '' : ' (estimate)'}\n`,
  )
process.stdout.write(
  `reported ${Math.round(reported / n)} B/message, measured ${Math.round(measured / n)} B/message (N=${n}); ` +
    `memoryUsage() took ${took.toFixed(1)} ms (what a /metrics scrape adds)\n`,
)
