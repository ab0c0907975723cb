/**
 * @module The service as `npm run start:prod` runs it (compiled by `tsc` into `dist/`) against the
 * same sources as the running TypeScript loader makes them (`npm start` and the bench load them
 * through `loader/register.mjs`), side by side in one process: the bench's N-message corpus
 * indexed into one embedded backend and record store each, then the bench's search mix through
 * each one's services, in rounds that alternate which goes first. Prints the CPU a message of
 * indexing and, per round, the CPU a search of each.
 *
 * Why: a loader can cost the sources CPU that the compiled build does not pay. tsx, which loaded
 * them before `loader/`, turns on esbuild's `keepNames`: every function made at run time is
 * wrapped in a `__name(fn, "name")` call (an `Object.defineProperty` a closure), and the engine's
 * query plans are closures made per search. Measured with this script on 2026-12-07 (tsx 4.23.15,
 * 200,000 messages, five rounds): 74.1 µs CPU a search (71.6–101) against 65.0 (62.4–70.1)
 * compiled, 14% more; through `loader/` (quiet machine, five rounds): 78.7 (77.6–133) against
 * 79.8 (76.0–110), level.
 * `npm run build && node --expose-gc --max-old-space-size=16384 --import ./loader/register.mjs bench/profile/compiled-vs-sources.ts [messages] [rounds]`
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { MessageDocument } from '../../src/ports/documents.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import type { Services } from '../../src/services/index.ts'
import { corpusEvents } from '../corpus/index.ts'
import { median } from '../lib/stats.ts'
import { fillStore } from '../phases/port-ingest.ts'
import { toGroup, toUser } from '../phases/records.ts'
import { searchMix } from '../phases/search-mix.ts'
import { ingestedCorpus } from './ingested.ts'

const n = Number(process.argv[2] ?? 200_000)
const rounds = Number(process.argv[3] ?? 5)
/** Each round runs the mix this many times through each build. */
const PASSES = 6
const ROOT = new URL('../../', import.meta.url)
const DIST = new URL('dist/', ROOT)
if (!existsSync(fileURLToPath(new URL('src/services/index.js', DIST))))
  throw new Error('no compiled build in dist/: run `npm run build` first')

const { corpus, port, searchers } = await ingestedCorpus(n)
const mix = searchMix(corpus, port.visible, searchers, 48)

/** The modules of one build: `dist/` compiled, or the sources as the running loader makes them. */
async function build(name: 'compiled' | 'sources', base: URL, ext: 'js' | 'ts') {
  const load = (path: string) => import(new URL(`${path}.${ext}`, base).href)
  const { createMemoryBackend } = await load('adapters/memory/index')
  const { MemoryRecordStore } = await load('adapters/memory/record-store')
  const documents = await load('src/services/documents')
  const { createServices } = await load('src/services/index')
  const backend = createMemoryBackend() as SearchBackend
  const store = new MemoryRecordStore()
  await fillStore(corpus, store)
  const users = corpus.users.map(toUser)
  const groups = corpus.groups.map((g) => toGroup(corpus, g))
  for (let i = 0; i < users.length; i += 500)
    await backend.index('users', users.slice(i, i + 500).map(documents.userDocument))
  for (let i = 0; i < groups.length; i += 500)
    await backend.index('groups', groups.slice(i, i + 500).map(documents.groupDocument))
  const messages: MessageDocument[] = []
  for (const event of corpusEvents(corpus))
    if (event.kind === 'message') messages.push(documents.messageDocument(event.message))
  globalThis.gc?.()
  const before = process.cpuUsage()
  for (let i = 0; i < messages.length; i += 500) await backend.index('messages', messages.slice(i, i + 500))
  const { user, system } = process.cpuUsage(before)
  const services = createServices({ store, backend }) as Services
  return { name, services, indexMicros: (user + system) / messages.length }
}

const builds = [await build('compiled', DIST, 'js'), await build('sources', ROOT, 'ts')]
for (const b of builds)
  process.stdout.write(`${b.name}: indexing ${b.indexMicros.toFixed(2)} µs CPU a message\n`)

async function cpuPerSearch(services: Services): Promise<number> {
  const before = process.cpuUsage()
  let searches = 0
  for (let pass = 0; pass < PASSES; pass++)
    for (const { userId, q } of mix.searches) {
      await services.messages.search(userId, { q, limit: 20 })
      searches++
    }
  const { user, system } = process.cpuUsage(before)
  return (user + system) / searches
}

/**
 * Rounds that warm both up, not counted: the first searches make the users' visibility and the
 * columns, and in a first trial the second round still ran at 1.5–3× the later ones' CPU.
 */
const WARMUP_ROUNDS = 2
const perSearch: Record<'compiled' | 'sources', number[]> = { compiled: [], sources: [] }
for (let round = 1 - WARMUP_ROUNDS; round <= rounds; round++) {
  const order = round % 2 === 0 ? builds : [...builds].reverse()
  const line: string[] = []
  for (const b of order) {
    const micros = await cpuPerSearch(b.services)
    if (round >= 1) perSearch[b.name].push(micros)
    line.push(`${b.name} ${micros.toFixed(1)}`)
  }
  process.stdout.write(
    `round ${round}: µs CPU a search: ${line.join(', ')}${round < 1 ? ' (warm-up)' : ''}\n`,
  )
}
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`
process.stdout.write(
  `${JSON.stringify({
    messages: n,
    rounds,
    searchesPerRound: PASSES * mix.searches.length,
    compiled: { median: median(perSearch.compiled), spread: spread(perSearch.compiled) },
    sources: { median: median(perSearch.sources), spread: spread(perSearch.sources) },
    sourcesOverCompiled: Math.round((median(perSearch.sources) / median(perSearch.compiled)) * 1000) / 1000,
  })}\n`,
)
