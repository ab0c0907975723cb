/**
 * @module The indexing queue: the seeds' asynchronous task queue, applied to search indexing.
 * Records are written to the store first; then a task per changed record (its index and id) is
 * processed in order per topic (one topic per index): the record is read back as it is now and
 * indexed, or removed from the index when it is gone, so a task is idempotent and the latest state
 * always wins. A failing task is retried with backoff and a retry count; after the last attempt it
 * goes to the dead-letter list (the seeds' "problem queue"), which admins see and can retry.
 *
 * Submitters await their tasks, so the embedded backend stays read-your-writes, and a request
 * whose indexing failed reports the failure (the record is stored; retrying it re-indexes).
 *
 * A failed attempt may still be applied later: a write the client gave up on (timed out, dropped)
 * can land after a newer task for the same record, a recall say, has run, and bring back what was
 * removed. So a task that had a failed attempt, or whose write the backend reports uncertain
 * (`onUncertainWrite`: retried inside the adapter), runs once more after `repairDelayMs`, when
 * such a late write can no longer arrive, and the record's latest state wins again.
 */
import type { Contact } from '../domain/contact.ts'
import type { DocumentOf } from '../ports/documents.ts'
import type { RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import { INDEX_NAMES, type IndexName } from '../query/index-schemas.ts'
import { contactDocument, groupDocument, messageDocument, userDocument } from './documents.ts'

export interface DeadLetter {
  topic: IndexName
  id: string
  attempts: number
  error: string
  failedAt: number
}

export interface TopicStatus {
  topic: IndexName
  /** Tasks submitted so far (the last sequence number). */
  enqueued: number
  /** Every task up to here is done: indexed, or dead-lettered. */
  checkpoint: number
  /** Tasks submitted and not yet done. */
  lag: number
  /** Attempts that failed and were retried. */
  retries: number
  /** Tasks that had a failed attempt, waiting to run once more. */
  repairsPending: number
}

export interface QueueStatus {
  topics: TopicStatus[]
  deadLetters: DeadLetter[]
}

export interface IndexQueueOptions {
  store: RecordStore
  backend: SearchBackend
  /** @default 4 */
  maxAttempts?: number
  /** The first retry's delay; each next one doubles it. @default 50 */
  retryDelayMs?: number
  /**
   * How long after a task with a failed attempt it runs again (see the module comment): longer
   * than a write the backend accepted can take to be applied. @default 30_000
   */
  repairDelayMs?: number | undefined
  now?: () => number
}

interface Topic {
  enqueued: number
  checkpoint: number
  retries: number
  repairsPending: number
  /** The tail of the topic's work: tasks run one after another, in submission order. */
  tail: Promise<void>
}

/** A contact document's id is `${userId}/${contactId}`. */
function splitContactKey(id: string): [string, string] {
  const slash = id.indexOf('/')
  return [id.slice(0, slash), id.slice(slash + 1)]
}

export class IndexQueue {
  readonly #store: RecordStore
  readonly #backend: SearchBackend
  readonly #maxAttempts: number
  readonly #retryDelayMs: number
  readonly #repairDelayMs: number
  readonly #repairs = new Set<NodeJS.Timeout>()
  readonly #now: () => number
  readonly #topics = new Map<IndexName, Topic>(
    INDEX_NAMES.map((topic) => [
      topic,
      { enqueued: 0, checkpoint: 0, retries: 0, repairsPending: 0, tail: Promise.resolve() },
    ]),
  )
  #deadLetters: DeadLetter[] = []

  constructor(options: IndexQueueOptions) {
    this.#store = options.store
    this.#backend = options.backend
    this.#maxAttempts = options.maxAttempts ?? 4
    this.#retryDelayMs = options.retryDelayMs ?? 50
    this.#repairDelayMs = options.repairDelayMs ?? 30_000
    // Writes a remote backend retried after a lost answer may land late too (see the module comment).
    options.backend.onUncertainWrite?.((topic, ids) => this.#repairLater(topic, ids))
    this.#now = options.now ?? Date.now
  }

  /** Index the records with these ids as they are in the store now; resolves once done. */
  submit(topic: IndexName, ids: readonly string[]): Promise<void> {
    const state = this.#topics.get(topic) as Topic
    const seq = ++state.enqueued
    const run = state.tail.then(() => this.#process(topic, ids))
    // The next task waits for this one whether it succeeded or not; the checkpoint advances either way.
    state.tail = run.then(
      () => {
        state.checkpoint = seq
      },
      () => {
        state.checkpoint = seq
      },
    )
    return run
  }

  status(): QueueStatus {
    return {
      topics: [...this.#topics].map(([topic, s]) => ({
        topic,
        enqueued: s.enqueued,
        checkpoint: s.checkpoint,
        lag: s.enqueued - s.checkpoint,
        retries: s.retries,
        repairsPending: s.repairsPending,
      })),
      deadLetters: this.#deadLetters.map((d) => ({ ...d })),
    }
  }

  /** Submit every dead letter again; those that fail again return to the list. */
  async retryDeadLetters(): Promise<{ retried: number; succeeded: number }> {
    const letters = this.#deadLetters
    this.#deadLetters = []
    const results = await Promise.allSettled(letters.map((d) => this.submit(d.topic, [d.id])))
    return { retried: letters.length, succeeded: results.filter((r) => r.status === 'fulfilled').length }
  }

  /**
   * Resolves once every task submitted so far is done (indexed or dead-lettered). The shutdown waits
   * for it before closing the backend: a request cut at the shutdown's timeout may still have its
   * task running, and it must not fail against a closed backend, leaving a stored record unindexed.
   */
  async idle(): Promise<void> {
    await Promise.all([...this.#topics.values()].map((topic) => topic.tail))
  }

  /** Stops the pending repair runs (shutdown); an index rebuilt at the next start is exact anyway. */
  close(): void {
    for (const timer of this.#repairs) clearTimeout(timer)
    this.#repairs.clear()
    for (const topic of this.#topics.values()) topic.repairsPending = 0
  }

  async #process(topic: IndexName, ids: readonly string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#apply(topic, ids)
        if (attempt > 1) this.#repairLater(topic, ids)
        return
      } catch (error) {
        if (attempt >= this.#maxAttempts) {
          this.#repairLater(topic, ids)
          const message = error instanceof Error ? error.message : String(error)
          for (const id of ids)
            this.#deadLetters.push({ topic, id, attempts: attempt, error: message, failedAt: this.#now() })
          throw error
        }
        this.#topics.get(topic)!.retries++
        await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs * 2 ** (attempt - 1)))
      }
    }
  }

  #repairLater(topic: IndexName, ids: readonly string[]): void {
    const state = this.#topics.get(topic) as Topic
    state.repairsPending++
    const timer = setTimeout(() => {
      this.#repairs.delete(timer)
      state.repairsPending--
      // A repair that fails is retried and dead-lettered like any task; nobody awaits it.
      this.submit(topic, ids).catch(() => {})
    }, this.#repairDelayMs)
    // Never what keeps a stopping process alive.
    timer.unref()
    this.#repairs.add(timer)
  }

  /** Read each record back and index it, or remove it from the index when it is gone. */
  async #apply<I extends IndexName>(topic: I, ids: readonly string[]): Promise<void> {
    const loaded = await this.#loadAll(topic, ids)
    const documents: DocumentOf<I>[] = []
    const gone: string[] = []
    for (const id of ids) {
      const document = loaded.get(id) as DocumentOf<I> | undefined
      if (document) documents.push(document)
      else gone.push(id)
    }
    if (documents.length > 0) await this.#backend.index(topic, documents)
    if (gone.length > 0) await this.#backend.remove(topic, gone)
  }

  /** Messages in one read (a batch of them is indexed in a few requests), the others one by one. */
  async #loadAll(topic: IndexName, ids: readonly string[]): Promise<Map<string, DocumentOf<IndexName>>> {
    if (topic === 'messages')
      return new Map((await this.#store.getMessages(ids)).map((m) => [m.messageId, messageDocument(m)]))
    const loaded = new Map<string, DocumentOf<IndexName>>()
    for (const id of ids) {
      const document = await this.#load(topic, id)
      if (document) loaded.set(id, document)
    }
    return loaded
  }

  async #load(topic: Exclude<IndexName, 'messages'>, id: string): Promise<DocumentOf<IndexName> | undefined> {
    switch (topic) {
      case 'users': {
        const user = await this.#store.getUser(id)
        return user && userDocument(user)
      }
      case 'groups': {
        const group = await this.#store.getGroup(id)
        return group && groupDocument(group)
      }
      case 'contacts': {
        const [userId, contactId] = splitContactKey(id)
        const row: Contact | undefined = (await this.#store.contactsOf(userId)).find(
          (c) => c.contactId === contactId,
        )
        if (!row) return undefined
        return contactDocument(row, (await this.#store.getUser(contactId))?.name ?? contactId)
      }
    }
  }
}
