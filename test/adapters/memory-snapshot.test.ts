/**
 * @module Index snapshots of the embedded engine against the index they were taken from (the
 * oracle): random upserts and removes (compacting often), saved, loaded into a fresh backend; a
 * battery of searches answers exactly alike (pages, totals, scores, cursors, facets, groups), and
 * goes on answering alike after the same further writes on both, and after the loaded index is
 * saved and loaded in turn.
 */
import { rm } from 'node:fs/promises'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import type { Query } from '../../src/query/dsl.ts'
import type { IndexName } from '../../src/query/index-schemas.ts'
import type { Sort } from '../../src/query/sort.ts'
import { groupDocument, messageDocument, userDocument } from '../../src/services/documents.ts'
import {
  AREA,
  contentArb,
  GROUP_NAME_POOL,
  NAME_POOL,
  PEOPLE,
  PIECES,
  pointArb,
  TAG_POOL,
} from '../contract/arbitraries.ts'
import { T0 } from '../contract/fixtures.ts'
import { snapshotRunDirs } from './snapshot-run-dirs.ts'

const CONVERSATIONS = ['c-team', 'c-family', 'd-12'] as const
const ATTACHMENT_NAMES = ['上海测试.pdf', 'report JWT.docx', '解析 api.png'] as const
const tagsArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...TAG_POOL), fc.constantFrom(0.5, 1, 2)), {
  maxLength: 3,
  selector: ([name]) => name,
})

/** One write: ids come from small pools, so documents are replaced and removed often. */
const writeArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('message' as const),
      id: fc.nat({ max: 29 }),
      content: contentArb,
      conversation: fc.constantFrom(...CONVERSATIONS),
      sender: fc.constantFrom(...PEOPLE),
      others: fc.subarray([...PEOPLE]),
      mentions: fc.subarray([...PEOPLE], { maxLength: 2 }),
      attachments: fc.subarray([...ATTACHMENT_NAMES], { maxLength: 2 }),
      slot: fc.integer({ min: 0, max: 5 }),
      sequenceId: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('removeMessage' as const), id: fc.nat({ max: 29 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('user' as const),
      id: fc.nat({ max: 11 }),
      name: fc.constantFrom(...NAME_POOL),
      tags: tagsArb,
      location: fc.option(pointArb, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeUser' as const), id: fc.nat({ max: 11 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('group' as const),
      id: fc.nat({ max: 5 }),
      name: fc.constantFrom(...GROUP_NAME_POOL),
      description: contentArb,
      tags: tagsArb,
      location: fc.option(pointArb, { nil: undefined }),
    }),
  },
)
type Write = typeof writeArb extends fc.Arbitrary<infer W> ? W : never

async function apply(backend: MemoryBackend, writes: readonly Write[]): Promise<void> {
  for (const w of writes) {
    if (w.kind === 'message') {
      const conversationType = w.conversation.startsWith('d-') ? 'single' : 'group'
      await backend.index('messages', [
        messageDocument({
          messageId: `m${w.id}`,
          conversationId: w.conversation,
          conversationType,
          senderId: w.sender,
          recipients: [w.sender, ...w.others],
          mentions: w.mentions,
          attachments: w.attachments.map((name) => ({
            name,
            kind: name.endsWith('.png') ? 'image' : 'file',
          })),
          type: w.attachments.length > 0 ? 'file' : 'text',
          content: w.content,
          sentAt: T0 + w.slot * 60_000,
          sequenceId: w.sequenceId,
        }),
      ])
    } else if (w.kind === 'removeMessage') await backend.remove('messages', [`m${w.id}`])
    else if (w.kind === 'user')
      await backend.index('users', [
        userDocument({
          userId: `user${w.id}`,
          name: w.name,
          tags: w.tags.map(([name, weight]) => ({ name, weight })),
          location: w.location,
          discoverable: true,
          profile: {},
        }),
      ])
    else if (w.kind === 'removeUser') await backend.remove('users', [`user${w.id}`])
    else
      await backend.index('groups', [
        groupDocument({
          groupId: `group${w.id}`,
          name: w.name,
          description: w.description,
          tags: w.tags.map(([name, weight]) => ({ name, weight })),
          location: w.location,
          visibility: 'public',
          ownerId: 'u1',
          memberCount: 3,
          createdAt: T0,
        }),
      ])
  }
}

const NEWEST: Sort[] = [
  { field: { name: 'sentAt', order: 'desc' } },
  { field: { name: 'sequenceId', order: 'desc' } },
]
const CENTER = { lat: (AREA.south + AREA.north) / 2, lon: (AREA.west + AREA.east) / 2 }

/** Every page of a search, following its cursors (two hits a page, so cursors are exercised). */
async function allPages(backend: MemoryBackend, index: IndexName, query: Query, sort?: Sort[]) {
  const pages: unknown[] = []
  let after: string | undefined
  do {
    const page = await backend.search(index, {
      query,
      sort,
      limit: 2,
      after,
      facets: index === 'messages' ? FACETS : undefined,
    })
    pages.push(page)
    after = page.next
  } while (after !== undefined && pages.length < 40)
  return pages
}

const FACETS = {
  senders: { kind: 'terms', field: 'senderId', size: 3 },
  days: { kind: 'day', field: 'sentAt', timeZone: 'Asia/Shanghai', size: 3 },
} as const

const visibleTo = (user: string, query: Query): Query => ({
  bool: { must: [query], filter: [{ term: { field: 'recipients', value: user } }] },
})

/** Searches over every field index kind; their answers, in order. */
async function battery(backend: MemoryBackend): Promise<unknown[]> {
  const out: unknown[] = []
  const messageQueries: Query[] = [
    { match_all: {} },
    ...PIECES.slice(0, 8).map((piece): Query => ({ match: { field: 'content', query: piece } })),
    { match: { field: 'content', query: '上海 测试 jwt', operator: 'or' } },
    { match_phrase: { field: 'content', query: '上海' } },
    { match_phrase: { field: 'attachmentNames', query: '测试' } },
    { terms: { field: 'senderId', values: ['u1', 'u3'] } },
    { term: { field: 'mentions', value: 'u2' } },
    { nested: { path: 'attachments', query: { term: { field: 'attachments.kind', value: 'image' } } } },
    { prefix: { field: 'messageId', value: 'm1' } },
  ]
  for (const query of messageQueries) {
    out.push(await allPages(backend, 'messages', query))
    for (const user of PEOPLE) out.push(await allPages(backend, 'messages', visibleTo(user, query), NEWEST))
  }
  for (const user of PEOPLE) {
    let after: string | undefined
    do {
      const page = await backend.searchGrouped('messages', {
        query: visibleTo(user, { match_all: {} }),
        field: 'conversationId',
        sort: NEWEST,
        limit: 1,
        after,
      })
      out.push(page)
      after = page.next
    } while (after !== undefined)
  }
  const nameQueries: Query[] = [
    { prefix: { field: 'nameNormalized', value: '张' } },
    { prefix: { field: 'namePinyin', value: 'zh' } },
    { match_phrase: { field: 'nameCompact', query: '伟' } },
    { term: { field: 'nameDeletes', value: 'wei' } },
    { terms: { field: 'nameWords', values: ['li', 'anna', 'wei'] } },
    { geo_distance: { field: 'location', center: CENTER, distance: 20_000 } },
    {
      geo_bounding_box: {
        field: 'location',
        top_left: { lat: AREA.north, lon: AREA.west },
        bottom_right: { lat: CENTER.lat, lon: CENTER.lon },
      },
    },
    {
      nested: {
        path: 'tags',
        score_mode: 'sum',
        query: { terms: { field: 'tags.name', values: ['golf', '摄影'] } },
      },
    },
  ]
  for (const query of nameQueries) {
    out.push(await allPages(backend, 'users', query))
    out.push(await allPages(backend, 'groups', query))
  }
  out.push(await allPages(backend, 'groups', { match: { field: 'description', query: '上海 api' } }))
  out.push(
    await allPages(backend, 'users', { match_all: {} }, [
      { geo_distance: { field: 'location', center: CENTER, order: 'asc' } },
    ]),
  )
  for (const index of ['messages', 'users', 'groups', 'contacts'] as const)
    out.push(await backend.stats(index))
  return out
}

describe('memory index snapshots', () => {
  const runDir = snapshotRunDirs('im-search-snapshot-')

  it('a loaded snapshot answers every search as the index it was taken from, then and after more writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(writeArb, { maxLength: 120 }),
        fc.array(writeArb, { maxLength: 40 }),
        async (before, after) => {
          const dir = runDir()
          // Compaction after three deletions: the snapshots see compacted and uncompacted postings.
          const original = new MemoryBackend({ snapshotDir: dir, compactAfterDead: 3 })
          await apply(original, before)
          const marker = { storeId: 'store-1', covered: before.length }
          const saved = await original.snapshots?.save(marker)
          expect(saved?.bytes).toBeGreaterThan(0)

          const loaded = new MemoryBackend({ snapshotDir: dir, compactAfterDead: 3 })
          const load = await loaded.snapshots?.load()
          expect(load).toMatchObject({ loaded: true, marker })
          expect(await battery(loaded)).toEqual(await battery(original))

          await apply(original, after)
          await apply(loaded, after)
          const expected = await battery(original)
          expect(await battery(loaded)).toEqual(expected)

          // A snapshot of a loaded index (its saved parts extended by the later writes) loads alike.
          await loaded.snapshots?.save({ storeId: 'store-1', covered: before.length + after.length })
          const reloaded = new MemoryBackend({ snapshotDir: dir, compactAfterDead: 3 })
          expect(await reloaded.snapshots?.load()).toMatchObject({ loaded: true })
          expect(await battery(reloaded)).toEqual(expected)
          await rm(dir, { recursive: true, force: true })
        },
      ),
      { numRuns: 40 },
    )
  }, 120_000)
})
