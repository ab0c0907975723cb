/**
 * @module Candidates visited in chunks (`match-chunks.ts`): the chunks hand over exactly the live
 * candidates, each once, in order, and nothing after a stop, across chunk boundaries; and an
 * index's searches over more matches than a chunk holds (several chunks, first chunks a page
 * long that grow, a newest-first listing that stops inside a chunk, candidates that repeat a
 * document) give what plain filtering, sorting and counting over the live documents give.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DocIndex } from '../../adapters/memory/doc-index.ts'
import { LiveBits } from '../../adapters/memory/live-bits.ts'
import { CHUNK, visitInChunks } from '../../adapters/memory/match-chunks.ts'

describe('candidates visited in chunks', () => {
  it('hands over each live candidate once, in order, and none after a stop', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * CHUNK }),
        fc.array(fc.integer({ min: 0, max: 3 * CHUNK - 1 }), { maxLength: 3 * CHUNK }),
        fc.boolean(),
        fc.integer({ min: 1, max: 2 * CHUNK }),
        fc.option(fc.integer({ min: 0, max: 3 * CHUNK }), { nil: undefined }),
        fc.integer({ min: 1, max: 9 }),
        (size, picked, repeats, first, stopAfter, deadEvery) => {
          const docs = Array.from({ length: size }, (_, docNo) =>
            docNo % deadEvery === 1 ? undefined : docNo,
          )
          const list = picked.filter((docNo) => docNo < size)
          const distinct = repeats ? list : [...new Set(list)]
          const marks = repeats ? { marks: new Uint16Array(size), mark: 1 } : undefined
          const want = [...new Set(distinct)].filter((docNo) => docs[docNo] !== undefined)
          const cut = stopAfter === undefined ? want : want.slice(0, stopAfter + 1)
          const seen: number[] = []
          let walked = 0
          const candidates = {
            forEach(fn: (docNo: number) => boolean | undefined) {
              for (const docNo of distinct) {
                walked++
                if (fn(docNo) === true) return
              }
            },
          }
          const live = new LiveBits()
          for (const [docNo, doc] of docs.entries()) {
            if (doc === undefined) live.skip(docNo)
            else live.add(docNo)
          }
          visitInChunks(candidates, live, marks, false, first, (docNos, count) => {
            for (let i = 0; i < count; i++) {
              seen.push(docNos[i] as number)
              if (stopAfter !== undefined && seen.length === stopAfter + 1) return true
            }
          })
          expect(seen).toEqual(cut)
          // No stop: every candidate was walked.
          if (stopAfter !== undefined && cut.length <= stopAfter) expect(walked).toBe(distinct.length)
          // Without candidates: every live document, newest first where asked.
          const all: number[] = []
          visitInChunks(undefined, live, undefined, true, first, (docNos, count) => {
            for (let i = 0; i < count; i++) all.push(docNos[i] as number)
            return false
          })
          expect(all).toEqual(docs.filter((d) => d !== undefined).reverse())
        },
      ),
      { numRuns: 150 },
    )
  })

  interface Doc {
    id: string
    chat: string | string[]
    body: string
    sentAt: number
  }
  const schema = {
    id: { type: 'keyword' },
    chat: { type: 'keyword', array: true },
    body: { type: 'text' },
    sentAt: { type: 'long' },
  } as const
  const NEWEST = [{ field: { name: 'sentAt', order: 'desc' as const } }]
  const CHATS = ['群聊', 'family', '工作', '周末']
  const BODIES = ['今天 吃 火锅', 'coffee today', '今天天气 很好', '明天 见', '今天 coffee 今天']

  it('searches over several chunks of matches count, rank and stop as plain filtering does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: CHUNK, max: 3 * CHUNK }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 2, max: 7 }),
        fc.constantFrom(...CHATS),
        (count, limit, removeEvery, chat) => {
          const index = new DocIndex<Doc>({ schema, idField: 'id' })
          const live = new Map<string, Doc>()
          for (let i = 0; i < count; i++) {
            // Mostly ascending instants, some older than earlier ones; a few documents in two chats.
            const doc: Doc = {
              id: `m${i}`,
              chat:
                i % 11 === 0
                  ? [CHATS[i % 4] as string, CHATS[(i + 1) % 4] as string]
                  : (CHATS[i % 4] as string),
              body: BODIES[i % BODIES.length] as string,
              sentAt: i * 1000 - (i % 13 === 0 ? 500_000 : 0),
            }
            index.upsert(doc)
            live.set(doc.id, doc)
          }
          for (let i = 0; i < count; i += removeEvery) {
            index.remove(`m${i}`)
            live.delete(`m${i}`)
          }
          const newer = (a: Doc, b: Doc) => b.sentAt - a.sentAt || (a.id < b.id ? -1 : 1)
          const inChat = (d: Doc, c: string) => d.chat === c || (Array.isArray(d.chat) && d.chat.includes(c))
          // A newest-first listing of one chat: it stops once older than its page.
          const listed = index.search({
            query: { bool: { filter: [{ term: { field: 'chat', value: chat } }] } },
            sort: NEWEST,
            limit,
          })
          const want = [...live.values()].filter((d) => inChat(d, chat)).sort(newer)
          expect(listed.total).toBe(want.length)
          expect(listed.hits.map((h) => h.id)).toEqual(want.slice(0, limit).map((d) => d.id))
          expect(index.earlyStops).toBe(1)
          // Candidates that repeat a document (two chats' postings), a text word, facets.
          const two = [chat, CHATS[(CHATS.indexOf(chat) + 1) % 4] as string]
          const query = {
            bool: {
              must: [{ match_phrase: { field: 'body', query: '今天' } }],
              filter: [{ terms: { field: 'chat', values: two } }],
            },
          }
          const facets = { chat: { kind: 'terms' as const, field: 'chat', size: 10 } }
          const matches = [...live.values()].filter(
            (d) => d.body.includes('今天') && two.some((c) => inChat(d, c)),
          )
          const page = index.search({ query, sort: NEWEST, limit, facets })
          expect(page.total).toBe(matches.length)
          expect(page.hits.map((h) => h.id)).toEqual(
            matches
              .sort(newer)
              .slice(0, limit)
              .map((d) => d.id),
          )
          const counts = new Map<string, number>()
          for (const d of matches)
            for (const c of new Set(Array.isArray(d.chat) ? d.chat : [d.chat]))
              counts.set(c, (counts.get(c) ?? 0) + 1)
          expect(Object.fromEntries((page.facets?.chat ?? []).map((f) => [f.value, f.count]))).toEqual(
            Object.fromEntries(counts),
          )
          // Grouped by chat (arrays are in no group), newest first.
          const grouped = index.searchGrouped({ query, field: 'chat', sort: NEWEST, limit: 10 })
          const groups = new Map<string, Doc[]>()
          for (const d of matches)
            if (typeof d.chat === 'string') groups.set(d.chat, [...(groups.get(d.chat) ?? []), d])
          expect(grouped.total).toBe(groups.size)
          for (const g of grouped.groups) {
            expect(g.count, g.value).toBe(groups.get(g.value)?.length)
            expect(g.top.id, g.value).toBe(groups.get(g.value)?.sort(newer)[0]?.id)
          }
        },
      ),
      { numRuns: 8 },
    )
  })
})
