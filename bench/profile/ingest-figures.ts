/**
 * Port, HTTP and durable HTTP ingest on the first N messages of the bench corpus.
 * node --expose-gc --max-semi-space-size=64 --import tsx bench/profile/ingest-figures.ts port|http|durable N [profile.cpuprofile]
 * With a profile path, the CPU profile covers the timed part only (from the first batch / first index call).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { corpusOf } from '../corpus/index.ts'
import { ingestOverHttp } from '../phases/http-ingest.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'

const mode = process.argv[2] ?? 'port'
const n = Number(process.argv[3] ?? 200_000)
const profilePath = process.argv[4]
const corpus = corpusOf(n)
const session = new Session()
let profiling: Promise<unknown> | undefined
const startProfile = () => {
  if (!profilePath || profiling) return
  session.connect()
  profiling = session.post('Profiler.enable').then(() => session.post('Profiler.start'))
}
if (mode === 'port') {
  const { createMemoryBackend } = await import('../../adapters/memory/index.ts')
  const proto = Object.getPrototypeOf(createMemoryBackend())
  const index = proto.index
  proto.index = function (this: unknown, kind: string, docs: unknown) {
    if (kind === 'messages') startProfile()
    return index.call(this, kind, docs)
  }
  const r = await ingestThroughPort(corpus)
  process.stdout.write(`port ${r.messagesPerSecond} msg/s\n`)
} else {
  const realFetch = globalThis.fetch
  globalThis.fetch = (async (url: string, init: unknown) => {
    if (String(url).endsWith('/v1/messages/batch')) startProfile()
    return realFetch(url, init as RequestInit)
  }) as typeof fetch
  const dir = mode === 'durable' ? mkdtempSync(join(tmpdir(), 'ingest-figures-')) : undefined
  try {
    const r = await ingestOverHttp(corpus, n, dir)
    process.stdout.write(`${mode} ${r.messagesPerSecond} msg/s failures ${r.failures}\n`)
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}
if (profiling) {
  await profiling
  const { profile } = await session.post('Profiler.stop')
  if (profilePath) writeFileSync(profilePath, JSON.stringify(profile))
}
