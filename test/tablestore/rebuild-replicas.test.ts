/**
 * @module A rebuild on one replica while other replicas write (issue 6), through the real SDK and
 * the emulator: two backends (two processes' worth of state) over one table prefix. Writes follow
 * the service's order (record store first, then the backend), and the rebuild reads the record
 * store the way a range scan does, a page at a time in key order, while the writes go on. After
 * the swap, both replicas answer exactly what the records say. The marker in the shared
 * `reindex_job` row refuses a second rebuild on any replica, is cleared by a cancel, and is taken
 * over once its heartbeat is stale. Short cache, grace and staleness bounds keep the file quick.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { TablestoreClient } from '../../adapters/tablestore/client.ts'
import { resolveOptions } from '../../adapters/tablestore/config.ts'
import { GenerationRows } from '../../adapters/tablestore/generation-row.ts'
import { createTablestoreBackend, type TablestoreBackend } from '../../adapters/tablestore/index.ts'
import { RebuildLease } from '../../adapters/tablestore/rebuild-lease.ts'
import { docTableSpec, tableNames } from '../../adapters/tablestore/schema.ts'
import { ensureTables } from '../../adapters/tablestore/setup.ts'
import type { RunningEmulator } from '../../emulator/index.ts'
import type { DocumentOf } from '../../src/ports/documents.ts'
import { RebuildInProgressError } from '../../src/ports/search-backend.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import { nameFields } from '../../src/services/documents.ts'
import { deferred } from '../support/deferred.ts'
import { emulatorOptions, startStrictEmulator } from './emulator-options.ts'

const TTL_MS = 80
const GRACE_MS = 250
const STALE_MS = 600

let emu: RunningEmulator
beforeAll(async () => {
  emu = await startStrictEmulator()
})
afterAll(async () => {
  await emu?.close()
})

let prefixes = 0

/** Options of one deployment (a fresh table prefix) with short bounds; `replica()` is one more process. */
function deployment() {
  const options = {
    ...emulatorOptions(emu, `rb${++prefixes}_`),
    generationTtlMs: TTL_MS,
    rebuildGraceMs: GRACE_MS,
    rebuildStaleMs: STALE_MS,
  }
  return { options, replica: () => createTablestoreBackend(options) }
}

/** One index's documents, with what identifies a version of each (name or content). */
interface Kind<I extends IndexName> {
  index: I
  make: (n: number, version: number) => DocumentOf<I>
  label: (doc: DocumentOf<I>) => string
}

const USERS: Kind<'users'> = {
  index: 'users',
  make: (n, version) => ({
    userId: `u${String(n).padStart(3, '0')}`,
    ...nameFields(`用户 ${n} v${version}`),
    tags: [],
    discoverable: true,
  }),
  label: (doc) => doc.name,
}

const MESSAGES: Kind<'messages'> = {
  index: 'messages',
  make: (n, version) => ({
    messageId: `m${String(n).padStart(3, '0')}`,
    conversationId: `g${n % 3}`,
    sequenceId: n,
    senderId: 'u1',
    type: 'text',
    content: `消息 ${n} v${version}`,
    sentAt: 1_700_000_000_000 + n,
    conversationType: 'group',
    recipients: ['u1', `u${n % 5}`],
    mentions: [],
    mentionAll: false,
    attachments: [],
    attachmentNames: [],
    hasLink: false,
  }),
  label: (doc) => doc.content,
}

const idOf = <I extends IndexName>(kind: Kind<I>, doc: DocumentOf<I>) =>
  String((doc as unknown as Record<string, unknown>)[kind.index === 'users' ? 'userId' : 'messageId'])

/** The record store a rebuild reads: a range scan in key order, a page at a time, while writes go on. */
class Records<I extends IndexName> {
  readonly docs = new Map<string, DocumentOf<I>>()

  async *scan(pageSize: number, pageDelayMs: number): AsyncGenerator<DocumentOf<I>[]> {
    let after = ''
    for (;;) {
      await sleep(pageDelayMs)
      const keys = [...this.docs.keys()]
        .filter((k) => k > after)
        .sort()
        .slice(0, pageSize)
      const last = keys.at(-1)
      if (last === undefined) return
      after = last
      yield keys.map((k) => this.docs.get(k) as DocumentOf<I>)
    }
  }

  expected(label: (doc: DocumentOf<I>) => string): [string, string][] {
    return [...this.docs].map(([id, doc]): [string, string] => [id, label(doc)]).sort()
  }
}

/** Every document a replica's search finds (match_all, paged), as [id, label]. */
async function everything<I extends IndexName>(backend: TablestoreBackend, kind: Kind<I>) {
  const out: [string, string][] = []
  let after: string | undefined
  do {
    const page = await backend.search(kind.index, { query: { match_all: {} }, limit: 100, after })
    for (const hit of page.hits) out.push([hit.id, kind.label(hit.document)])
    after = page.next
  } while (after)
  return out.sort()
}

/** A small deterministic generator, so that a failure replays. */
function random(seed: number) {
  let x = seed
  return (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x % n
  }
}

async function rebuildWhileWriting<I extends IndexName>(kind: Kind<I>, seed: number): Promise<void> {
  const { replica } = deployment()
  const [a, b] = [replica(), replica()]
  const records = new Records<I>()
  const versions = new Map<number, number>()
  const put = async (on: TablestoreBackend, n: number) => {
    const version = (versions.get(n) ?? 0) + 1
    versions.set(n, version)
    const doc = kind.make(n, version)
    records.docs.set(idOf(kind, doc), doc)
    await on.index(kind.index, [doc])
  }
  const remove = async (on: TablestoreBackend, n: number) => {
    const id = idOf(kind, kind.make(n, 0))
    records.docs.delete(id)
    await on.remove(kind.index, [id])
  }
  for (let n = 0; n < 40; n++) await put(a, n)
  await a.settle()
  // B has read the index's generations: its cached view says no rebuild when A's starts.
  expect(await everything(b, kind)).toEqual(records.expected(kind.label))

  const pick = random(seed)
  let swapped = false
  let failed = false
  const rebuilding = a.rebuild(kind.index, { documents: () => records.scan(4, 20) })
  // A rebuild that rejects ends the writes at once, so the test fails with its error, not at its timeout.
  void rebuilding.then(
    () => {
      swapped = true
    },
    () => {
      failed = true
    },
  )
  let afterSwap = 0
  // From the first moment (B not yet aware), through the grace and the scan, to just after the swap.
  while (afterSwap < 8 && !failed) {
    const n = pick(60)
    // Each id has one writer: a replica's settle() waits for its own writes, which another
    // replica's later write of the same id would replace before they ever show.
    const on = n % 4 === 0 ? a : b
    if (pick(3) === 0) await remove(on, n)
    else await put(on, n)
    if (swapped) afterSwap++
    await sleep(pick(12))
  }
  expect(await rebuilding).toBe(2)
  await Promise.all([a.settle(), b.settle()])
  // Past the cache bound, both replicas read generation 2.
  await sleep(TTL_MS)
  const expected = records.expected(kind.label)
  for (const replica of [a, b]) {
    expect(await replica.stats(kind.index)).toEqual({
      documents: expected.length,
      generation: 2,
      rebuilding: false,
    })
    expect(await everything(replica, kind)).toEqual(expected)
  }
}

describe('tablestore rebuild across replicas (issue 6)', () => {
  it('users: what every replica wrote and removed during the rebuild is in the new generation', async () => {
    await rebuildWhileWriting(USERS, 7)
  }, 30_000)

  it('messages: what every replica wrote and recalled during the rebuild is in the new generation', async () => {
    await rebuildWhileWriting(MESSAGES, 11)
  }, 30_000)

  it('a rebuild on another replica is refused while one runs; a cancel clears the marker at once', async () => {
    const { replica } = deployment()
    const [a, b] = [replica(), replica()]
    await a.index('users', [USERS.make(1, 1)])
    const cancel = new AbortController()
    const held = deferred()
    const first = a.rebuild('users', {
      signal: cancel.signal,
      documents: async function* () {
        await held.promise
        yield [USERS.make(1, 1)]
      },
    })
    // Once B sees A's marker (A's claim is a few calls; a busy machine may take a while).
    await vi.waitFor(async () => expect((await b.stats('users')).rebuilding).toBe(true), {
      timeout: 20_000,
      interval: 20,
    })
    await expect(b.rebuild('users', { documents: async function* () {} })).rejects.toThrow(
      RebuildInProgressError,
    )
    cancel.abort()
    held.resolve()
    await expect(first).rejects.toThrow()
    // Not after the staleness bound: the cancel released the index.
    expect(
      await b.rebuild('users', {
        documents: async function* () {
          yield [USERS.make(1, 2)]
        },
      }),
    ).toBe(2)
    await b.settle()
    expect(await everything(b, USERS)).toEqual([['u001', USERS.make(1, 2).name]])
  }, 30_000)

  it('a marker left by a stopped replica is taken over once stale, keeping what was written meanwhile', async () => {
    const { options, replica } = deployment()
    const [b, c] = [replica(), replica()]
    const [one, two, three] = [USERS.make(1, 1), USERS.make(2, 1), USERS.make(3, 1)]
    await c.index('users', [one, two, three])
    // A process claims the rebuild (creating its table first, as the backend does) and stops:
    // no heartbeat, no swap, no release.
    const resolved = resolveOptions(options)
    const client = new TablestoreClient(resolved)
    const rows = new GenerationRows(client, tableNames(resolved.tablePrefix).reindexJob)
    const crashed = await RebuildLease.claim(rows, 'users', await rows.read('users'), {
      staleMs: STALE_MS,
      prepare: () => ensureTables(client, [docTableSpec(resolved.tablePrefix, 'users', 2)]),
    })
    crashed.stop()
    const claimedAt = Date.now()
    await expect(b.rebuild('users', { documents: async function* () {} })).rejects.toThrow(
      RebuildInProgressError,
    )
    // C, past its cache bound, writes to the abandoned generation too: a rename and a removal.
    await sleep(TTL_MS)
    const renamed = USERS.make(2, 2)
    await c.index('users', [renamed])
    await c.remove('users', [three.userId])
    await sleep(Math.max(0, claimedAt + STALE_MS - Date.now()))
    // B's scan read the records before C's writes: the live rename and removal must win.
    const generation = await b.rebuild('users', {
      documents: async function* () {
        yield [one, two, three]
      },
    })
    expect(generation).toBe(2)
    await Promise.all([b.settle(), c.settle()])
    await sleep(TTL_MS)
    for (const r of [b, c])
      expect(await everything(r, USERS)).toEqual([
        [one.userId, one.name],
        [renamed.userId, renamed.name],
      ])
    // The stopped process wakes up: its swap is refused, the index stays B's.
    await expect(crashed.swap()).rejects.toThrow(RebuildInProgressError)
    expect((await b.stats('users')).generation).toBe(2)
  }, 30_000)
})
