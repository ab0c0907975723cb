/** @module The services over the two ports, built in one place for `main` and for tests. */
import type { JobStore } from '../ports/job-store.ts'
import type { RecordScanner, RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import { ConversationSearch } from './conversation-search.ts'
import { createCursorCodec } from './cursor.ts'
import { Directory } from './directory.ts'
import { Discovery } from './discovery.ts'
import { History } from './history.ts'
import { InMemoryJobStore } from './in-memory-job-store.ts'
import { IndexQueue } from './index-queue.ts'
import { Ingestion } from './ingestion.ts'
import { MessageSearch } from './message-search.ts'
import { OneBox } from './one-box.ts'
import { DEFAULT_NAMES_TTL_MS, peopleOf } from './people.ts'
import { Reindexer } from './reindex.ts'
import { WriteBarrier } from './write-barrier.ts'

export interface Services {
  ingestion: Ingestion
  messages: MessageSearch
  conversations: ConversationSearch
  oneBox: OneBox
  discovery: Discovery
  directory: Directory
  history: History
  reindexer: Reindexer
  queue: IndexQueue
  /** Every write through `ingestion` while in flight: what an index snapshot waits for. */
  writes: WriteBarrier
}

/** A service's methods as a caller in another thread sees them: each answers with a promise. */
export type CallsTo<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: A) => Promise<Awaited<R>> | Awaited<R>
    : never
}

/**
 * The services as the HTTP layer calls them: the services themselves in the same thread, or their
 * stand-ins in the HTTP thread (`src/front`). Every result is awaited.
 */
export type ServiceCalls = { [K in Exclude<keyof Services, 'writes'>]: CallsTo<Services[K]> }

export interface ServiceDeps {
  store: RecordStore & RecordScanner
  backend: SearchBackend
  /** Where reindex jobs are kept. @default a new InMemoryJobStore */
  jobs?: JobStore | undefined
  /**
   * After how long without a heartbeat a running reindex job counts as abandoned (see
   * `ReindexDeps.staleAfterMs`): the staleness bound for a job store replicas share, 0 for one
   * only this process uses.
   * @default 0 with the default job store, else DEFAULT_STALE_AFTER_MS
   */
  reindexStaleAfterMs?: number | undefined
  /** See `IndexQueueOptions.repairDelayMs`. */
  indexRepairDelayMs?: number | undefined
  /** See `PeopleCacheOptions.ttlMs`. @default DEFAULT_NAMES_TTL_MS */
  namesTtlMs?: number | undefined
  /** Signs cursors; a random one per process when absent (cursors then die with the process). */
  cursorSecret?: string | undefined
  now?: () => number
}

export function createServices({
  store,
  backend,
  jobs,
  reindexStaleAfterMs,
  indexRepairDelayMs,
  namesTtlMs,
  cursorSecret,
  now,
}: ServiceDeps): Services {
  const cursors = createCursorCodec(cursorSecret)
  const queue = new IndexQueue({ store, backend, now, repairDelayMs: indexRepairDelayMs })
  const people = peopleOf(store, { ttlMs: namesTtlMs ?? DEFAULT_NAMES_TTL_MS, now })
  const discovery = new Discovery(backend, cursors, {
    contactIds: async (userId) => (await store.contactsOf(userId)).map((c) => c.contactId),
    groupIds: async (userId) => (await store.groupsOf(userId)).map((m) => m.groupId),
  })
  const directory = new Directory(store, backend, cursors)
  const conversations = new ConversationSearch(backend, cursors, store, people)
  const writes = new WriteBarrier()
  return {
    queue,
    writes,
    ingestion: new Ingestion({ store, backend, queue, now, names: people, writes }),
    messages: new MessageSearch(backend, cursors, people),
    conversations,
    oneBox: new OneBox(directory, discovery, conversations),
    discovery,
    directory,
    history: new History(store),
    reindexer: new Reindexer({
      source: store,
      backend,
      jobs: jobs ?? new InMemoryJobStore(),
      // A process-local store is never shared: a running job there that is not ours was abandoned.
      staleAfterMs: reindexStaleAfterMs ?? (jobs ? undefined : 0),
      now,
    }),
  }
}

export { ServiceError } from './errors.ts'
