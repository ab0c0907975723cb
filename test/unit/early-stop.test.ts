/**
 * @module A newest-first listing stops ranking once no later candidate can make its page, and
 * counts the rest: pages and totals must stay exact when `sentAt` does not follow arrival order
 * and when documents are removed.
 */
import { describe, expect, it } from 'vitest'
import { DocIndex } from '../../adapters/memory/doc-index.ts'

interface Doc {
  id: string
  conversationId: string
  recipients: string[]
  sentAt: number
}

const schema = {
  id: { type: 'keyword' },
  conversationId: { type: 'keyword' },
  recipients: { type: 'keyword', array: true },
  sentAt: { type: 'long' },
} as const

function index(docs: readonly Doc[]): DocIndex<Doc> {
  const built = new DocIndex<Doc>({ schema, idField: 'id', recipientSetFields: ['recipients'] })
  for (const doc of docs) built.upsert(doc)
  return built
}

const listing = {
  query: {
    bool: {
      filter: [
        { terms: { field: 'recipients', values: ['u1'] } },
        { term: { field: 'conversationId', value: 'c1' } },
      ],
    },
  },
  sort: [{ field: { name: 'sentAt', order: 'desc' as const } }],
  limit: 2,
}

function doc(n: number, sentAt: number, recipients = ['u1']): Doc {
  return { id: `m${String(n).padStart(3, '0')}`, conversationId: 'c1', recipients, sentAt }
}

describe('newest-first listing', () => {
  it('pages and counts in time order', () => {
    const built = index([doc(1, 10), doc(2, 20, ['u2']), doc(3, 30), doc(4, 40), doc(5, 50)])
    const page = built.search(listing)
    expect(page.hits.map((h) => h.id)).toEqual(['m005', 'm004'])
    expect(page.total).toBe(4)
    const next = built.search({ ...listing, after: page.next })
    expect(next.hits.map((h) => h.id)).toEqual(['m003', 'm001'])
    expect(next.total).toBe(4)
  })

  it('stays exact when a later document is older', () => {
    const built = index([doc(1, 10), doc(2, 50), doc(3, 30), doc(4, 5)])
    const page = built.search(listing)
    expect(page.hits.map((h) => h.id)).toEqual(['m002', 'm003'])
    expect(page.total).toBe(4)
  })

  it('stays exact when a document is moved back in time after the first search', () => {
    const built = index([doc(1, 10), doc(2, 20), doc(3, 30)])
    expect(built.search(listing).hits.map((h) => h.id)).toEqual(['m003', 'm002'])
    built.upsert(doc(3, 1))
    const page = built.search(listing)
    expect(page.hits.map((h) => h.id)).toEqual(['m002', 'm001'])
    expect(page.total).toBe(3)
  })

  it('still stops early after a late message (an older sentAt after newer ones), and stays exact', () => {
    // Issue 15: a check of strict order turned the stop off for good at the first late message.
    const built = index([doc(1, 10), doc(2, 20), doc(3, 5), doc(4, 30), doc(5, 40), doc(6, 50)])
    const page = built.search(listing)
    expect(page.hits.map((h) => h.id)).toEqual(['m006', 'm005'])
    expect(page.total).toBe(6)
    expect(built.earlyStops).toBe(1)
    const next = built.search({ ...listing, after: page.next })
    expect(next.hits.map((h) => h.id)).toEqual(['m004', 'm002'])
    expect(next.total).toBe(6)
  })

  it('counts no removed document', () => {
    const built = index([doc(1, 10), doc(2, 20), doc(3, 30), doc(4, 40)])
    built.remove('m001')
    expect(built.search(listing).total).toBe(3)
  })
})
