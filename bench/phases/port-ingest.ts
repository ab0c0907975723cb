/**
 * @module Ingest through the search port: documents built by `src/services/documents.ts`, indexed
 * with `backend.index` in batches. Also fills the record store the services read (memberships and
 * contacts for discovery), outside the timed part. Start-up is this rebuild: the embedded backend
 * rebuilds its in-memory indexes from the records at every start.
 */

import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import type { RecordStore } from '../../src/ports/record-store.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { groupDocument, messageDocument, userDocument } from '../../src/services/documents.ts'
import { type Corpus, corpusEvents } from '../corpus/index.ts'
import { InFlight } from '../lib/in-flight.ts'
import { bytesPer, settle } from '../lib/memory.ts'
import { Progress } from '../lib/progress.ts'
import { creationTime, toGroup, toUser } from './records.ts'

export const BATCH = 500

export interface CorpusFacts {
  messages: number
  users: number
  groups: number
  directChats: number
  membershipChanges: number
  groupMessageShare: number
  meanRecipients: number
  /** Distinct recipient lists (one per group between membership changes, one per direct chat). */
  distinctRecipientLists: number
}

export interface PortIngest {
  backend: SearchBackend
  store: MemoryRecordStore
  /** Messages each user may see, by user index. */
  visible: Int32Array
  facts: CorpusFacts
  populationSeconds: number
  indexSeconds: number
  generateSeconds: number
  messagesPerSecond: number
  heapBytesPerMessage: number
  heapBytes: { heapUsed: number; arrayBuffers: number }
}

export async function ingestThroughPort(corpus: Corpus, label = 'ingest (port)'): Promise<PortIngest> {
  const backend = createMemoryBackend()
  const store = new MemoryRecordStore()
  const visible = new Int32Array(corpus.users.length)
  let t = performance.now()
  const users = corpus.users.map(toUser)
  const groups = corpus.groups.map((g) => toGroup(corpus, g))
  for (let i = 0; i < users.length; i += BATCH)
    await backend.index('users', users.slice(i, i + BATCH).map(userDocument))
  for (let i = 0; i < groups.length; i += BATCH)
    await backend.index('groups', groups.slice(i, i + BATCH).map(groupDocument))
  const populationSeconds = (performance.now() - t) / 1000
  await fillStore(corpus, store)

  const before = settle()
  const progress = new Progress(label, corpus.config.messages)
  let indexMs = 0
  let generateMs = 0
  let recipients = 0
  let groupMessages = 0
  const lists = new Set<readonly string[]>()
  let batch: MessageDocument[] = []
  const flush = async () => {
    const start = performance.now()
    await backend.index('messages', batch)
    indexMs += performance.now() - start
    progress.tick(batch.length)
    batch = []
  }
  t = performance.now()
  for (const event of corpusEvents(corpus)) {
    if (event.kind !== 'message') continue
    const m = event.message
    const idx = m.recipientIdx
    for (let i = 0; i < idx.length; i++) visible[idx[i]!]!++
    recipients += idx.length
    if (m.conversationType === 'group') groupMessages++
    lists.add(m.recipients)
    const start = performance.now()
    batch.push(messageDocument(m))
    const now = performance.now()
    indexMs += now - start
    generateMs += start - t
    if (batch.length === BATCH) await flush()
    t = performance.now()
  }
  if (batch.length > 0) await flush()
  progress.finish()
  const distinctRecipientLists = lists.size
  lists.clear()
  const after = settle()
  const n = corpus.config.messages
  return {
    backend,
    store,
    visible,
    facts: {
      messages: n,
      users: corpus.users.length,
      groups: corpus.groups.length,
      directChats: corpus.directs.length,
      membershipChanges: corpus.changes.length,
      groupMessageShare: round(groupMessages / n, 4),
      meanRecipients: round(recipients / n, 1),
      distinctRecipientLists,
    },
    populationSeconds: round(populationSeconds, 3),
    indexSeconds: round(indexMs / 1000, 3),
    generateSeconds: round(generateMs / 1000, 3),
    messagesPerSecond: Math.round(n / (indexMs / 1000)),
    heapBytesPerMessage: bytesPer(before, after, n),
    heapBytes: {
      heapUsed: after.heapUsed - before.heapUsed,
      arrayBuffers: after.arrayBuffers - before.arrayBuffers,
    },
  }
}

/**
 * Users, groups, final memberships and the direct chats as friendships, for discovery's relation
 * lookups; `width` calls in flight (each call starts in corpus order, so a join and a later leave
 * of one member apply in that order).
 */
export async function fillStore(corpus: Corpus, store: RecordStore, width = 1): Promise<void> {
  const at = creationTime(corpus)
  const calls = new InFlight(width)
  for (const user of corpus.users) await calls.add(store.putUser(toUser(user)))
  for (const group of corpus.groups) {
    await calls.add(store.putGroup(toGroup(corpus, group)))
    for (const u of group.initial)
      await calls.add(
        store.addMember({ groupId: group.groupId, userId: corpus.users[u]!.userId, joinedAt: at }),
      )
  }
  for (const c of corpus.changes) {
    const groupId = corpus.groups[c.group]!.groupId
    const userId = corpus.users[c.user]!.userId
    if (c.kind === 'join') await calls.add(store.addMember({ groupId, userId, joinedAt: Math.floor(c.at) }))
    else await calls.add(store.removeMember(groupId, userId))
  }
  for (const d of corpus.directs) {
    const userId = corpus.users[d.a]!.userId
    const contactId = corpus.users[d.b]!.userId
    await calls.add(
      store.putContacts([
        { userId, contactId, addedAt: at },
        { userId: contactId, contactId: userId, addedAt: at },
      ]),
    )
  }
  await calls.drain()
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/**
 * Every message of the corpus, as the ingestion service stores it (no sequence id: the store
 * assigns it; no bench fields), `width` writes in flight; `onEach` after each write is started.
 * The first `skip` messages are left out (a resumed write: they are stored already).
 */
export async function insertMessages(
  corpus: Corpus,
  store: RecordStore,
  width: number,
  onEach?: () => void,
  skip = 0,
): Promise<void> {
  const calls = new InFlight(width)
  let seen = 0
  for (const event of corpusEvents(corpus)) {
    if (event.kind !== 'message' || seen++ < skip) continue
    const { sequenceId: _assigned, recipientIdx: _benchOnly, ...draft } = event.message
    await calls.add(store.insertMessage(draft))
    onEach?.()
  }
  await calls.drain()
}
