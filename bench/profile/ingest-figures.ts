/**
 * Port, HTTP and durable HTTP ingest on the first N messages of the bench corpus.
 * node --expose-gc --max-semi-space-size=64 --import ./loader/register.mjs bench/profile/ingest-figures.ts port|http|durable N[/C] [profile.cpuprofile] [--thread=main|worker]
 * With `/C`, the first N messages of a corpus made for C (its users, groups and conversations), as
 * the bench's HTTP phases take the first 50,000 of the 1M corpus; port mode takes the whole corpus.
 * Also prints the process's CPU time from the first batch (or first index call) to the end, per
 * message: on a shared, busy machine it compares two trees better than the rate does (it counts
 * the harness's work after that point too, the same in both). With a profile path, the CPU
 * profile covers the same span. `--thread` picks the thread that serves HTTP (default: the HTTP thread).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { corpusOf } from '../corpus/index.ts'
import { ingestOverHttp } from '../phases/http-ingest.ts'
import { ingestThroughPort } from '../phases/port-ingest.ts'

const threadFlag = process.argv.find((arg) => arg.startsWith('--thread='))
const thread = threadFlag?.slice('--thread='.length) as 'main' | 'worker' | undefined
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
const mode = args[0] ?? 'port'
const [n, corpusSize = n] = (args[1] ?? '200000').split('/').map(Number) as [number, number?]
const profilePath = args[2]
const corpus = corpusOf(corpusSize)
const measured = mode === 'port' ? corpusSize : n
const session = new Session()
let profiling: Promise<unknown> | undefined
let cpuFrom: NodeJS.CpuUsage | undefined
const startProfile = () => {
  cpuFrom ??= process.cpuUsage()
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
  process.stdout.write(`port ${r.messagesPerSecond} msg/s ${cpuPerMessage()}\n`)
} else {
  const realFetch = globalThis.fetch
  globalThis.fetch = (async (url: string, init: unknown) => {
    if (String(url).endsWith('/v1/messages/batch')) startProfile()
    return realFetch(url, init as RequestInit)
  }) as typeof fetch
  const dir = mode === 'durable' ? mkdtempSync(join(tmpdir(), 'ingest-figures-')) : undefined
  try {
    const r = await ingestOverHttp(corpus, n, dir, thread)
    process.stdout.write(
      `${mode}${thread ? ` (${thread} thread)` : ''} ${r.messagesPerSecond} msg/s ${cpuPerMessage()} failures ${r.failures}${dataDirSize(dir)}\n`,
    )
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}
/** The data dir's bytes on disk per message (every record kind counted: messages are most of it). */
function dataDirSize(dir: string | undefined): string {
  if (dir === undefined) return ''
  const bytes = statSync(join(dir, 'data.mdb')).blocks * 512
  return ` data dir ${Math.round(bytes / measured)} B/msg`
}
function cpuPerMessage(): string {
  const { user, system } = process.cpuUsage(cpuFrom)
  return `cpu ${((user + system) / measured).toFixed(1)} µs/msg`
}

if (profiling) {
  await profiling
  const { profile } = await session.post('Profiler.stop')
  if (profilePath) writeFileSync(profilePath, JSON.stringify(profile))
}
