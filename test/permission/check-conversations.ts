/**
 * @module Chats grouped and the one box against the oracle (issue 13): every conversation with a
 * match the caller may see, its count, newest match and title, over every page; the one box's
 * three sections (totals, first hits, cursors) — none reflecting a message, group or person the
 * caller may not see.
 */
import { expect } from 'vitest'
import { expectJson, expectProblem } from '../routes/harness.ts'
import { checkMessageSearch, queryText, resolveOps, shown } from './check-messages.ts'
import type { Model } from './model.ts'
import {
  type ExpectedConversation,
  expectedContacts,
  expectedConversations,
  expectedDiscovery,
  type MessageQuery,
} from './oracle.ts'
import { idOf, type Prober } from './probe.ts'
import type { Probe } from './probes.ts'

type GroupedProbe = Extract<Probe, { kind: 'conversations' | 'onebox' }>

function groupedQuery(p: Prober, probe: GroupedProbe): MessageQuery {
  return { caller: probe.caller, q: probe.q, ops: resolveOps(p, probe.ops), tz: probe.tz, limit: probe.limit }
}

// biome-ignore lint/suspicious/noExplicitAny: hits as the API returns them.
function expectConversationHit(model: Model, hit: any, e: ExpectedConversation): void {
  expect(hit).toMatchObject({
    conversationId: e.conversationId,
    conversationType: model.groups.has(e.conversationId) ? 'group' : 'single',
    title: e.title,
    matches: e.matches,
  })
  expect(hit.latest).toMatchObject({
    ...shown(e.latest),
    senderName: model.users.get(e.latest.senderId)?.name ?? null,
  })
}

export async function checkConversations(p: Prober, probe: GroupedProbe): Promise<void> {
  const query = groupedQuery(p, probe)
  const expected = () => {
    const e = expectedConversations(p.model, query)
    return { ids: new Set(e.map((c) => c.conversationId)), total: e.length }
  }
  const params = { q: queryText(query), tz: query.tz, limit: query.limit }
  const { hits } = await p.pageAll(query.caller, '/v1/search/conversations', params, expected)
  const oracle = expectedConversations(p.model, query)
  expect(hits.map(idOf)).toEqual(oracle.map((c) => c.conversationId))
  for (const [i, hit] of hits.entries())
    expectConversationHit(p.model, hit, oracle[i] as ExpectedConversation)
}

/**
 * The one box: contacts and the caller's groups matching the text terms (as their own searches
 * rank them), chats as conversation search; each section's total, first `limit` hits and a
 * cursor exactly when more follow. No `q` is a 400 naming it.
 */
export async function checkOneBox(p: Prober, probe: GroupedProbe): Promise<void> {
  const query = groupedQuery(p, probe)
  const q = queryText(query)
  const reply = await p.get(query.caller, '/v1/search', { q, tz: query.tz, limit: query.limit })
  if (q === undefined || q.trim() === '') {
    expectProblem(reply, 400, 'query.q')
    return
  }
  const body = expectJson(reply, 200)
  const names = query.q?.trim() ?? ''
  const contacts = names
    ? expectedContacts(p.model, { caller: query.caller, q: names, limit: query.limit })
    : undefined
  const groups = names
    ? expectedDiscovery(p.model, {
        index: 'groups',
        caller: query.caller,
        q: names,
        tags: [],
        tagMode: 'any',
        sort: 'relevance',
        limit: query.limit,
        memberOnly: true,
      })
    : undefined
  const key = (contactId: string) => `${query.caller}/${contactId}`
  expectSection(body.contacts, contacts?.total ?? 0, query.limit)
  for (const hit of body.contacts.hits) expect(contacts?.byId.has(key(hit.userId))).toBe(true)
  if (contacts)
    expect(
      contacts.firstOutOfOrder(
        body.contacts.hits.map((h: { userId: string; score: number }) => ({
          id: key(h.userId),
          score: h.score,
        })),
      ),
    ).toBe(-1)
  expectSection(body.groups, groups?.total ?? 0, query.limit)
  for (const hit of body.groups.hits) expect(groups?.byId.has(hit.groupId)).toBe(true)
  if (groups)
    expect(
      groups.firstOutOfOrder(
        body.groups.hits.map((h: { groupId: string; score: number }) => ({ id: h.groupId, score: h.score })),
      ),
    ).toBe(-1)
  const chats = expectedConversations(p.model, query)
  expectSection(body.conversations, chats.length, query.limit)
  for (const [i, hit] of body.conversations.hits.entries())
    expectConversationHit(p.model, hit, chats[i] as ExpectedConversation)
  // The chats section holds what message search finds.
  if (chats.length > 0) await checkMessageSearch(p, { ...query, limit: 4 })
}

// biome-ignore lint/suspicious/noExplicitAny: a section as the API returns it.
function expectSection(section: any, total: number, limit: number): void {
  expect(section.total).toBe(total)
  expect(section.hits).toHaveLength(Math.min(total, limit))
  expect(section.nextCursor !== undefined).toBe(total > limit)
}
