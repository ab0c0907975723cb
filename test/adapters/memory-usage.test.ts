/**
 * @module The embedded engine's memory by part on `/metrics` (issue 15): typed arrays counted
 * exactly, estimates within sight of what they estimate, and no gauge for a backend without it.
 */
import { describe, expect, it } from 'vitest'
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { MemoryTally, SLOT_BYTES, stringBytes, valueBytes } from '../../adapters/memory/memory-usage.ts'
import { Posting } from '../../adapters/memory/posting.ts'
import { MemoryRecordStore } from '../../adapters/memory/record-store.ts'
import { TextIndex } from '../../adapters/memory/text-index.ts'
import { buildApp } from '../../src/build-app.ts'
import { createLogger } from '../../src/logger.ts'
import type { SearchBackend } from '../../src/ports/search-backend.ts'
import { message, TEXT_MESSAGES, USERS } from '../contract/fixtures.ts'

const WORDS = ['今天', '火锅', 'coffee', '哈尔滨', 'meeting', '周末', 'deploy']

/** `n` messages of a few words each, in three conversations of up to three people. */
function messages(n: number) {
  return Array.from({ length: n }, (_, i) =>
    message(`m${i}`, `${WORDS[i % 7]} ${WORDS[(i * 3) % 7]} 第${i}条 note ${i}`, {
      conversationId: `c${i % 3}`,
      sequenceId: i + 1,
      recipients: i % 3 === 0 ? ['alice', 'bob'] : ['alice', 'bob', 'carol'],
    }),
  )
}

describe('memory usage by part (issue 15)', () => {
  it('counts typed arrays exactly: postings by capacity, positions by their two arrays', () => {
    const posting = new Posting(2)
    for (let docNo = 0; docNo < 5; docNo++) posting.push(docNo)
    expect(posting.byteLength).toBe(8 * 4) // grown 2 → 4 → 8 slots of four bytes
    const text = new TextIndex()
    text.add(0, ['今', '天', 'coffee'])
    text.add(1, ['今', '天'])
    const tally = new MemoryTally()
    text.memoryUsage(tally)
    const parts = Object.fromEntries(tally.parts().map(({ part, bytes }) => [part, bytes]))
    // The token arena (65,536 slots) and per-document ends (1,024), four bytes a slot.
    expect(parts.positions).toBe((65_536 + 1_024) * 4)
    // Three postings of two slots, and per-token counts and last documents (1,024 each).
    expect(parts.postings).toBe(3 * 2 * 4 + 2 * 1_024 * 4)
    expect(parts.terms).toBeGreaterThan(0)
  })

  it('estimates strings by their encoding: Latin-1 a byte a character, Chinese two', () => {
    expect(stringBytes('coffee')).toBe(16 + 8)
    expect(stringBytes('今天天气很好')).toBe(16 + 16)
    // A skipped property keeps its slot; what it points to is counted elsewhere.
    expect(valueBytes({ a: 'coffee', b: ['x'] }, (key) => key === 'b')).toBe(
      valueBytes({ a: 'coffee' }) + SLOT_BYTES,
    )
  })

  it('reports every index of the embedded backend, its typed arrays as exact, and grows with documents', async () => {
    const backend = createMemoryBackend()
    await backend.index('users', USERS)
    await backend.index('messages', messages(100))
    const before = backend.memoryUsage?.() ?? []
    expect(new Set(before.map((p) => p.index))).toEqual(new Set(['messages', 'users', 'groups', 'contacts']))
    const part = (usage: typeof before, name: string) =>
      usage.find((p) => p.index === 'messages' && p.part === name) as (typeof before)[0]
    for (const name of ['postings', 'positions', 'masks']) expect(part(before, name).exact).toBe(true)
    for (const name of ['terms', 'recipient_sets', 'ids', 'documents'])
      expect(part(before, name).exact).toBe(false)
    await backend.index('messages', messages(5_000))
    const after = backend.memoryUsage?.() ?? []
    for (const name of ['postings', 'positions', 'documents', 'ids'])
      expect(part(after, name).bytes).toBeGreaterThan(part(before, name).bytes)
    // The stored documents hold at least their content's characters, and not ten times more than
    // a generous per-document figure.
    const docs = messages(5_000)
    const content = docs.reduce((sum, d) => sum + d.content.length * 2, 0)
    expect(part(after, 'documents').bytes).toBeGreaterThan(content)
    expect(part(after, 'documents').bytes).toBeLessThan(docs.length * 4_096)
  })

  it('GET /metrics exposes imsearch_index_memory_bytes by index and part', async () => {
    const backend = createMemoryBackend()
    await backend.index('messages', TEXT_MESSAGES)
    const body = await scrape(backend)
    expect(body).toContain('# HELP imsearch_index_memory_bytes')
    expect(body).toMatch(
      /imsearch_index_memory_bytes\{index="messages",part="postings",exact="true"\} [1-9]\d*/,
    )
    expect(body).toMatch(
      /imsearch_index_memory_bytes\{index="messages",part="documents",exact="false"\} [1-9]\d*/,
    )
    expect(body).toMatch(/imsearch_index_memory_bytes\{index="users",part="ids",exact="false"\} \d+/)
  })

  it('a backend without memoryUsage (Tablestore) gets no such gauge', async () => {
    const memory = createMemoryBackend()
    const remote: SearchBackend = {
      name: 'remote',
      index: (index, documents) => memory.index(index, documents),
      remove: (index, ids) => memory.remove(index, ids),
      search: (index, request) => memory.search(index, request),
      searchGrouped: (index, request) => memory.searchGrouped(index, request),
      stats: (index) => memory.stats(index),
      rebuild: (index, options) => memory.rebuild(index, options),
      close: () => memory.close(),
    }
    const body = await scrape(remote)
    expect(body).toContain('imsearch_index_documents')
    expect(body).not.toContain('imsearch_index_memory_bytes')
  })
})

async function scrape(backend: SearchBackend): Promise<string> {
  const { app } = buildApp({
    config: {
      auth: { jwtSecret: 'test-secret-0123456789-abcdefghijklmnop' },
      rateLimitPerMinute: undefined,
      cursorSecret: 'test',
    },
    logger: createLogger({ level: 'silent' }),
    store: new MemoryRecordStore(),
    backend,
  })
  const res = await app.request('/metrics')
  expect(res.status).toBe(200)
  return res.text()
}
