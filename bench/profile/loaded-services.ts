/**
 * @module What the profiles that search share: services on an index loaded from a snapshot, as a
 * restarted service serves (the data dir and snapshot that `index-snapshot.ts N --keep DIR` left),
 * and a message query kind run through the services as the bench runs it.
 */
import { join } from 'node:path'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { createServices } from '../../src/services/index.ts'
import { type Corpus, corpusEvents, corpusOf } from '../corpus/index.ts'
import { messageParams } from '../phases/ours.ts'
import { pickSearchers, type Searcher } from '../phases/pick-users.ts'
import { IM_QUERIES, MESSAGE_QUERIES, type MessageQuery } from '../phases/queries.ts'

type Services = ReturnType<typeof createServices>

/** The bench's four facets (`ours.ts`). */
const FOUR_FACETS = ['conversation', 'sender', 'type', 'day'] as const

/**
 * The corpus of `n` messages, the messages each user may see (as the bench counts them to pick
 * its searchers), and services on the snapshot and store in `dir`; close `store` when done.
 */
export async function loadedServices(dir: string, n: number) {
  const corpus = corpusOf(n)
  const visible = new Int32Array(corpus.users.length)
  for (const event of corpusEvents(corpus))
    if (event.kind === 'message')
      for (const i of event.message.recipientIdx) visible[i] = (visible[i] as number) + 1
  const backend = createMemoryBackend({ snapshotDir: join(dir, 'index-snapshots') })
  const load = await backend.snapshots?.load()
  if (!load?.loaded) throw new Error(`no snapshot loaded: ${load?.reason}`)
  const store = new LmdbRecordStore(join(dir, 'data'))
  return { corpus, visible, store, services: createServices({ store, backend }) }
}

/** A call that runs `query` as `searcher`: grouped by chat, with four facets, or a plain search. */
export function searchRun(services: Services, searcher: Searcher, query: MessageQuery) {
  const params = messageParams(query, searcher)
  if (query.kind === 'conversations') return () => services.conversations.search(searcher.userId, params)
  if (query.kind === 'four-facets')
    return () =>
      services.messages.search(searcher.userId, { ...params, facets: FOUR_FACETS, tz: 'Asia/Shanghai' })
  return () => services.messages.search(searcher.userId, params)
}

/** The message query kinds a profile runs: those `KINDS` names (`common-zh,four-facets`), else all. */
export function chosenQueries(): MessageQuery[] {
  const kinds = process.env.KINDS?.split(',')
  return [...MESSAGE_QUERIES, ...IM_QUERIES].filter((query) => !kinds || kinds.includes(query.kind))
}

/** The bench's searchers a profile runs as: the one `AUDIENCE` names (`1%` or `10%`), else both. */
export async function chosenSearchers(
  corpus: Corpus,
  visible: Int32Array,
  services: Services,
): Promise<Searcher[]> {
  const audience = process.env.AUDIENCE
  return (await pickSearchers(corpus, visible, services)).filter((s) => !audience || s.audience === audience)
}
