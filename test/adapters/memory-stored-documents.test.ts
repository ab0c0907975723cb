/**
 * @module Stored documents whose empty fields are read from a prototype
 * (`adapters/memory/stored-document.ts`): the copy's own keys leave out empty `mentions`,
 * `attachments`, `attachmentNames` and `false` booleans but keep the recipient list; searches that
 * read those fields (exists, terms on booleans, nested, phrases in attachment names, facets)
 * answer as the oracle does, and every hit is the document as indexed (own keys, whole), before
 * and after a snapshot load.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryBackend } from '../../adapters/memory/backend.ts'
import { StoredDocuments, wholeDocument } from '../../adapters/memory/stored-document.ts'
import type { Attachment } from '../../src/domain/message.ts'
import type { MessageDocument } from '../../src/ports/documents.ts'
import type { SearchBackend, SearchRequest } from '../../src/ports/search-backend.ts'
import { INDEX_SCHEMAS } from '../../src/query/index-schemas.ts'
import { messageDocument } from '../../src/services/documents.ts'
import { T0 } from '../contract/fixtures.ts'
import { createOracleBackend } from '../oracle/oracle-backend.ts'

const PEOPLE = ['u1', 'u2', '张伟', 'Anna Lee'] as const
const WORDS = ['上海测试 会议纪要', 'JWT token https://example.com', 'deploy 完成'] as const
const FILES = ['季度报告.pdf', 'design notes.png', '上海 地图.jpg'] as const

const attachmentArb = fc.record({
  name: fc.constantFrom(...FILES),
  kind: fc.constantFrom('file' as const, 'image' as const),
  size: fc.nat({ max: 5_000 }),
})

const messageArb = fc.record({
  id: fc.nat({ max: 30 }),
  sender: fc.constantFrom(...PEOPLE),
  others: fc.subarray([...PEOPLE]),
  content: fc.constantFrom(...WORDS),
  mentions: fc.oneof(fc.constant<string[]>([]), fc.subarray<string>([...PEOPLE], { minLength: 1 })),
  attachments: fc.oneof(
    fc.constant<Attachment[]>([]),
    fc.array(attachmentArb, { minLength: 1, maxLength: 2 }),
  ),
  slot: fc.nat({ max: 9 }),
  mentionAll: fc.boolean(),
})

const SEARCHES: SearchRequest[] = [
  {
    query: { exists: { field: 'mentions' } },
    limit: 50,
    sort: [{ field: { name: 'sentAt', order: 'desc' } }],
  },
  { query: { exists: { field: 'attachmentNames' } }, limit: 50 },
  { query: { bool: { must_not: [{ exists: { field: 'attachments.kind' } }] } }, limit: 50 },
  { query: { term: { field: 'mentions', value: '张伟' } }, limit: 50 },
  { query: { term: { field: 'mentionAll', value: false } }, limit: 50 },
  { query: { bool: { filter: [{ term: { field: 'hasLink', value: true } }] } }, limit: 50 },
  { query: { exists: { field: 'hasLink' } }, limit: 50 },
  {
    query: {
      nested: { path: 'attachments', query: { term: { field: 'attachments.kind', value: 'image' } } },
    },
    limit: 50,
  },
  { query: { match_phrase: { field: 'attachmentNames', query: '季度报告' } }, limit: 50 },
  {
    query: { match_all: {} },
    limit: 50,
    facets: {
      mentioned: { kind: 'terms', field: 'mentions', size: 10 },
      kinds: { kind: 'terms', field: 'attachments.kind', size: 10 },
    },
  },
]

describe('stored documents with their empty fields on a prototype', () => {
  it('keep no empty list or false of their own but the recipient list, read the same, and come back whole', () => {
    const stored = new StoredDocuments(INDEX_SCHEMAS.messages, ['recipients'])
    const doc = messageDocument({
      messageId: 'm1',
      conversationId: 'c1',
      conversationType: 'group',
      senderId: 'u1',
      recipients: [],
      type: 'text',
      content: '上海 hello',
      sentAt: T0,
      sequenceId: 1,
      mentions: ['u2'],
    })
    const copy = stored.copy({ ...doc })
    const inherited = ['attachments', 'attachmentNames', 'mentionAll', 'hasLink']
    expect(Object.keys(copy)).toEqual(Object.keys(doc).filter((k) => !inherited.includes(k)))
    for (const key of Object.keys(doc))
      expect(copy[key], key).toEqual(Object.getOwnPropertyDescriptor(doc, key)?.value)
    expect(copy.recipients).toEqual([])
    const returned = wholeDocument(copy)
    expect(returned).toEqual(doc)
    expect(Object.keys(returned).sort()).toEqual(Object.keys(doc).sort())
    const whole = stored.copy({
      ...doc,
      attachments: [{ name: 'a.pdf', kind: 'file', size: 1 }],
      attachmentNames: ['a.pdf'],
      mentionAll: true,
      hasLink: true,
    })
    expect(wholeDocument(whole)).toBe(whole)
  })

  it('copy documents of other key orders and keys with the same empty fields as they are', () => {
    const stored = new StoredDocuments(INDEX_SCHEMAS.messages, ['recipients'])
    const sources = [
      { messageId: 'm1', mentions: [], content: '上海' },
      { content: 'hello', mentions: [], messageId: 'm2' },
      { messageId: 'm3', mentions: [], content: 'x', extra: 1 },
      { messageId: 'm4', mentions: [], content: '第二个' },
      // A boolean field holding an empty list keeps it: only `false` is a boolean's empty value.
      { messageId: 'm5', mentions: [], hasLink: [] },
    ]
    for (const source of sources) {
      const copy = stored.copy(source)
      expect(Object.keys(copy)).toEqual(Object.keys(source).filter((key) => key !== 'mentions'))
      expect(wholeDocument(copy)).toEqual(source)
    }
  })

  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'im-search-stored-documents-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('answer searches that read the lists as the oracle, before and after a snapshot load', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(messageArb, { minLength: 1, maxLength: 25 }), async (messages) => {
        const dir = join(root, `run-${run++}`)
        const oracle = createOracleBackend()
        const original = new MemoryBackend({ snapshotDir: dir })
        const indexed = new Map<string, MessageDocument>()
        for (const m of messages) {
          const doc = messageDocument({
            messageId: `m${m.id}`,
            conversationId: 'c-team',
            conversationType: 'group',
            senderId: m.sender,
            recipients: [m.sender, ...m.others],
            mentions: m.mentions,
            attachments: m.attachments,
            type: 'text',
            content: m.content,
            sentAt: T0 + m.slot * 60_000,
            sequenceId: m.id,
            mentionAll: m.mentionAll,
          })
          indexed.set(doc.messageId, doc)
          for (const backend of [oracle, original] as SearchBackend[]) await backend.index('messages', [doc])
        }
        await original.snapshots?.save({ storeId: 'store-1', covered: messages.length })
        const loaded = new MemoryBackend({ snapshotDir: dir })
        expect(await loaded.snapshots?.load()).toMatchObject({ loaded: true })
        for (const request of SEARCHES) {
          const expected = await oracle.search('messages', request)
          for (const backend of [original, loaded]) {
            const page = await backend.search('messages', request)
            expect(page.total).toBe(expected.total)
            expect(page.facets).toEqual(expected.facets)
            expect(new Set(page.hits.map((h) => h.id))).toEqual(new Set(expected.hits.map((h) => h.id)))
            for (const hit of page.hits) {
              expect(hit.document).toEqual(indexed.get(hit.id))
              expect(Object.keys(hit.document).sort()).toEqual(Object.keys(indexed.get(hit.id) ?? {}).sort())
            }
          }
        }
      }),
      { numRuns: 40 },
    )
  })
})
