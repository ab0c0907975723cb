/**
 * @module Ingest over HTTP: a fresh store (in memory, or durable: LMDB in a data dir, as
 * `npm start` runs) and backend behind a real server; users, groups and initial memberships set
 * up in-process through the ingestion service, 1,024 calls in flight (timed separately), then
 * the first `limit` messages POSTed to `/v1/messages/batch` in batches of 500 by one client, in
 * order. Membership changes go through the ingestion service between batches (a batch is one
 * request and cannot interleave with them): a join before the batch that holds the joiner's first
 * messages, a leave after the batch that holds the leaver's last ones. So a recipient list may
 * differ from the port's for up to 499 messages around a change; the work per message is the same.
 */

import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import type { MessageInput } from '../../src/domain/message.ts'
import { type Corpus, corpusEvents, type MembershipEvent } from '../corpus/index.ts'
import { InFlight } from '../lib/in-flight.ts'
import { Progress } from '../lib/progress.ts'
import { BATCH } from './port-ingest.ts'
import { creationTime, toTags } from './records.ts'
import { type BenchServerOptions, startServer } from './server.ts'

export interface HttpIngest {
  messages: number
  batches: number
  seconds: number
  messagesPerSecond: number
  /** Users, groups and memberships through the ingestion service, before the first message. */
  setupSeconds: number
  failures: number
}

/** Setup calls in flight: a busy service's concurrent requests (durable writes commit together). */
const SETUP_IN_FLIGHT = 1024

/**
 * With `dataDir`, the records are written durably to an LMDB store there (an empty directory).
 * `thread`: which thread serves HTTP (`startServer`'s default: the HTTP thread, as `npm start`).
 */
export async function ingestOverHttp(
  corpus: Corpus,
  limit: number,
  dataDir?: string,
  thread?: BenchServerOptions['thread'],
): Promise<HttpIngest> {
  const store = dataDir === undefined ? new MemoryRecordStore() : new LmdbRecordStore(dataDir)
  const backend = createMemoryBackend()
  let clock = creationTime(corpus)
  const server = await startServer(store, backend, { now: () => clock, ...(thread ? { thread } : {}) })
  try {
    const { ingestion } = server.services
    const setup = new Progress(
      'http setup (users, groups, members)',
      corpus.users.length + corpus.groups.length,
    )
    const started = performance.now()
    const calls = new InFlight(SETUP_IN_FLIGHT)
    for (const u of corpus.users)
      await calls.add(
        ingestion
          .putUser(u.userId, {
            name: u.name,
            tags: toTags(u.tags),
            ...(u.location ? { location: u.location } : {}),
            discoverable: u.discoverable,
            profile: {},
          })
          .then(() => setup.tick()),
      )
    await calls.drain()
    // One group's calls in order (its owner joins first); groups side by side.
    const setUpGroup = async (g: Corpus['groups'][number]) => {
      await ingestion.putGroup(g.groupId, {
        name: g.name,
        description: g.description,
        tags: toTags(g.tags),
        ...(g.location ? { location: g.location } : {}),
        visibility: g.visibility,
        ownerId: corpus.users[g.owner]!.userId,
      })
      for (const u of g.initial.slice(1)) await ingestion.addMember(g.groupId, corpus.users[u]!.userId)
      setup.tick()
    }
    for (const g of corpus.groups) await calls.add(setUpGroup(g))
    await calls.drain()
    setup.finish()
    const setupSeconds = (performance.now() - started) / 1000

    const token = await server.token('ingestor', ['ingest'])
    const progress = new Progress(dataDir === undefined ? 'ingest (http)' : 'ingest (http, durable)', limit)
    let batch: MessageInput[] = []
    const pending: MembershipEvent[] = []
    let sent = 0
    let batches = 0
    let failures = 0
    let httpMs = 0
    const flush = async () => {
      if (batch.length > 0) {
        const t = performance.now()
        const response = await fetch(`${server.url}/v1/messages/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: batch }),
        })
        const body = (await response.json()) as { results?: { status: number }[] }
        httpMs += performance.now() - t
        if (!response.ok) throw new Error(`batch ingestion answered ${response.status}`)
        failures += (body.results ?? []).filter((r) => r.status >= 300).length
        batches++
        progress.tick(batch.length)
        batch = []
      }
      for (const change of pending.splice(0)) {
        clock = change.at
        await ingestion.removeMember(change.groupId, change.userId).catch(() => undefined)
      }
    }
    for (const event of corpusEvents(corpus)) {
      if (sent >= limit) break
      if (event.kind !== 'message') {
        if (event.kind === 'join') {
          clock = event.at
          await ingestion.addMember(event.groupId, event.userId)
        } else pending.push(event)
        continue
      }
      const m = event.message
      batch.push({
        messageId: m.messageId,
        conversationId: m.conversationId,
        senderId: m.senderId,
        type: m.type,
        content: m.content,
        sentAt: m.sentAt,
        ...(m.conversationType === 'single'
          ? { recipients: m.recipients.filter((r) => r !== m.senderId) }
          : {}),
      })
      sent++
      if (batch.length === BATCH) await flush()
    }
    await flush()
    progress.finish()
    return {
      messages: sent,
      batches,
      seconds: Math.round(httpMs) / 1000,
      messagesPerSecond: Math.round(sent / (httpMs / 1000)),
      setupSeconds: Math.round(setupSeconds * 1000) / 1000,
      failures,
    }
  } finally {
    await server.close()
    await store.close()
  }
}
