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
  now?: () => number
}

interface Topic {
  enqueued: number
  checkpoint: number
  retries: number
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
  readonly #now: () => number
  readonly #topics = new Map<IndexName, Topic>(
    INDEX_NAMES.map((topic) => [topic, { enqueued: 0, checkpoint: 0, retries: 0, tail: Promise.resolve() }]),
  )
  #deadLetters: DeadLetter[] = []

  constructor(options: IndexQueueOptions) {
    this.#store = options.store
    this.#backend = options.backend
    this.#maxAttempts = options.maxAttempts ?? 4
    this.#retryDelayMs = options.retryDelayMs ?? 50
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

  async #process(topic: IndexName, ids: readonly string[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#apply(topic, ids)
        return
      } catch (error) {
        if (attempt >= this.#maxAttempts) {
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

  /** Read each record back and index it, or remove it from the index when it is gone. */
  async #apply<I extends IndexName>(topic: I, ids: readonly string[]): Promise<void> {
    const documents: DocumentOf<I>[] = []
    const gone: string[] = []
    for (const id of ids) {
      const document = (await this.#load(topic, id)) as DocumentOf<I> | undefined
      if (document) documents.push(document)
      else gone.push(id)
    }
    if (documents.length > 0) await this.#backend.index(topic, documents)
    if (gone.length > 0) await this.#backend.remove(topic, gone)
  }

  async #load(topic: IndexName, id: string): Promise<DocumentOf<IndexName> | undefined> {
    switch (topic) {
      case 'users': {
        const user = await this.#store.getUser(id)
        return user && userDocument(user)
      }
      case 'groups': {
        const group = await this.#store.getGroup(id)
        return group && groupDocument(group)
      }
      case 'messages': {
        const message = await this.#store.getMessage(id)
        return message && messageDocument(message)
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
