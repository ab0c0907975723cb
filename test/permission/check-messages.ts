/**
 * @module Message search and history against the oracle: exact hit sets and totals over every
 * page, the order of the requested sort, hits that show the stored message and nothing of its
 * recipients, highlights made of the hit's own text, and history 404s that look exactly like
 * those of a conversation that does not exist.
 */
import { expect } from 'vitest'
import { tokenize } from '../../src/text/analyzer.ts'
import { escapeHtml } from '../../src/text/highlight.ts'
import { containsSequence } from '../../src/text/match-rule.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import { expectJson, T0 } from '../routes/harness.ts'
import type { ModelMessage } from './model.ts'
import {
  byTime,
  expectedFacets,
  expectedHistory,
  expectedMessages,
  type MessageQuery,
  type ResolvedOp,
  timeKey,
} from './oracle.ts'
import { idOf, type Params, type Prober } from './probe.ts'
import type { Op, Probe } from './probes.ts'
import { MESSAGE_SPACING_MS, MISSING_CONVERSATION } from './world.ts'

/** What a hit shows, sorted: the message without its recipients or conversation type. */
const HISTORY_KEYS = [
  'attachments',
  'content',
  'conversationId',
  'mentionAll',
  'mentions',
  'messageId',
  'senderId',
  'sentAt',
  'sequenceId',
  'type',
].sort()
const HIT_KEYS = [...HISTORY_KEYS, 'highlight', 'score', 'senderName'].sort()

/** The first day the suite's dates name; messages start at T0 (2025-01-01). */
const FIRST_DAY = Date.UTC(2024, 11, 31)

/** The probe's operators, resolved against the model, with how each is written in `q`. */
export function resolveOps(p: Prober, ops: readonly Op[]): ResolvedOp[] {
  return ops.map((op): ResolvedOp => {
    switch (op.kind) {
      case 'from':
        return { ...op, text: `from:${op.user}` }
      case 'in': {
        const conversationId = conversationOf(p, op.conversation)
        return { kind: 'in', conversationId, text: `in:${conversationId}` }
      }
      case 'has':
        return { ...op, text: `has:${op.value}` }
      case 'mentioned':
        return { kind: 'mentioned', text: 'is:mentioned' }
      case 'exclude': {
        const [term] = parseQueryTerms(op.word.includes(' ') || op.quoted ? `"${op.word}"` : op.word)
        const text = op.quoted || op.word.includes(' ') ? `-"${op.word}"` : `-${op.word}`
        return { kind: 'exclude', term, text }
      }
      default: {
        if (op.asDate) {
          const day = new Date(FIRST_DAY + op.day * 86_400_000).toISOString().slice(0, 10)
          return { kind: op.kind, day, text: `${op.kind}:${day}` }
        }
        const ms = T0 + op.at * MESSAGE_SPACING_MS
        return { kind: op.kind, ms, text: `${op.kind}:${ms}` }
      }
    }
  })
}

/** `q` as the API gets it: the text terms, then the operators. */
export function queryText(query: Pick<MessageQuery, 'q' | 'ops'>): string | undefined {
  const parts = [query.q, ...(query.ops ?? []).map((o) => o.text)].filter((x) => x !== undefined)
  return parts.length > 0 ? parts.join(' ') : undefined
}

/** The probe's conversation pick: one of the model's, or (past the end) one that does not exist. */
export function conversationOf(p: Prober, pick: number): string {
  const ids = p.model.conversationIds()
  return ids[pick % (ids.length + 1)] ?? MISSING_CONVERSATION
}

export function messageQuery(p: Prober, probe: Extract<Probe, { kind: 'messages' }>): MessageQuery {
  const at = (s: number | undefined) => (s === undefined ? undefined : T0 + s * MESSAGE_SPACING_MS)
  return {
    caller: probe.caller,
    q: probe.q,
    ops: resolveOps(p, probe.ops),
    tz: probe.tz,
    facets: probe.facets,
    conversationId: probe.conversation === undefined ? undefined : conversationOf(p, probe.conversation),
    senderId: probe.sender,
    type: probe.type,
    after: at(probe.after),
    before: at(probe.before),
    sort: probe.sort,
    limit: probe.limit,
  }
}

export async function checkMessageSearch(p: Prober, query: MessageQuery): Promise<void> {
  const expected = () => {
    const e = expectedMessages(p.model, query)
    return { ids: new Set(e.hits.map((m) => m.messageId)), total: e.hits.length }
  }
  const { caller, ops: _ops, facets, ...rest } = query
  const params: Params = {
    ...(rest as Params),
    q: queryText(query),
    facets: facets && facets.length > 0 ? facets.join(',') : undefined,
  }
  const oracle = expectedMessages(p.model, query)
  const wantFacets = facets && facets.length > 0 ? expectedFacets(oracle.hits, facets, query.tz) : undefined
  const { hits } = await p.pageAll(caller, '/v1/search/messages', params, expected, (body) => {
    // Every page carries the facets of every match, whatever the page.
    if (wantFacets) expect(body.facets).toEqual(wantFacets)
    else expect(body).not.toHaveProperty('facets')
  })
  const ids = hits.map(idOf)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort()).toEqual(oracle.hits.map((m) => m.messageId).sort())
  const byId = new Map(oracle.hits.map((m) => [m.messageId, m]))
  if (oracle.sort === 'relevance') expectRelevanceOrder(hits)
  else expect(hits.map(timeKey)).toEqual(oracle.hits.map(timeKey))
  for (const hit of hits) {
    const m = byId.get(hit.messageId) as ModelMessage
    expect(Object.keys(hit).sort()).toEqual(HIT_KEYS)
    expect(hit).toMatchObject(shown(m))
    // The highlight is the hit's own content, escaped, with marks only.
    expect(hit.highlight.replaceAll('<em>', '').replaceAll('</em>', '')).toBe(escapeHtml(m.content))
    // Marks where a term matches the content (it may match only an attachment name).
    const inContent = oracle.terms.some((t) => containsSequence(tokenize(m.content), t.tokens))
    expect(hit.highlight.includes('<em>')).toBe(inContent)
    expect(hit.senderName).toBe(p.model.users.get(m.senderId)?.name ?? null)
  }
}

/** Scores never rise; equal scores are newest first (sentAt, then sequenceId). */
// biome-ignore lint/suspicious/noExplicitAny: hits as the API returns them.
function expectRelevanceOrder(hits: any[]): void {
  for (let i = 0; i + 1 < hits.length; i++) {
    const [a, b] = [hits[i], hits[i + 1]]
    const tie = Math.abs(a.score - b.score) <= 1e-9 * Math.max(1, Math.abs(a.score))
    if (tie) expect(byTime(a, b), `${a.messageId} before ${b.messageId}`).toBeGreaterThanOrEqual(0)
    else expect(a.score).toBeGreaterThan(b.score)
  }
}

/** The message as the API shows it: the model's record without what the test keeps for itself. */
export function shown(m: ModelMessage) {
  const { recipients: _r, recalled: _c, body: _b, ...message } = m
  return message
}

/**
 * Every history page back to the start, `limit` at a time; a conversation with nothing the caller
 * can see is the 404 of a missing one. `around` a message the caller cannot see is the 404 of a
 * sequence id that does not exist.
 */
export async function checkHistory(p: Prober, probe: Extract<Probe, { kind: 'history' }>): Promise<void> {
  const conversationId = conversationOf(p, probe.conversation)
  const path = `/v1/conversations/${conversationId}/messages`
  const missing: [string, string] = [
    `/v1/conversations/${MISSING_CONVERSATION}/messages`,
    MISSING_CONVERSATION,
  ]
  const expected = expectedHistory(p.model, probe.caller, conversationId)
  if (expected.length === 0) {
    if (conversationId !== MISSING_CONVERSATION)
      await p.expectSameAsMissing(probe.caller, [path, conversationId], missing, { limit: probe.limit })
    return
  }
  const got: ModelMessage[] = []
  let before: number | undefined
  for (let page = 0; page <= expected.length; page++) {
    const body = expectJson(await p.get(probe.caller, path, { limit: probe.limit, before }), 200)
    got.push(...body.hits)
    before = body.nextBefore
    // `nextBefore` exactly while older messages the caller can see remain: a pointer to an
    // empty page would tell them that messages they cannot see exist further back.
    expect(before !== undefined, `nextBefore after ${got.length} of ${expected.length}`).toBe(
      got.length < expected.length,
    )
    if (before === undefined) break
  }
  for (const hit of got) expect(Object.keys(hit).sort()).toEqual(HISTORY_KEYS)
  expect(got).toEqual(expected.map(shown))
  // Around one of the conversation's messages: its context if visible, else a plain 404.
  const all = p.model.messages.filter((m) => m.conversationId === conversationId)
  const target = all[probe.around % all.length] as ModelMessage
  const around = { around: target.sequenceId, limit: probe.limit }
  if (p.model.messageVisible(probe.caller, target)) {
    const body = expectJson(await p.get(probe.caller, path, around), 200)
    expect(body.hits.map(idOf)).toContain(target.messageId)
    for (const hit of body.hits) expect(expected.map((m) => m.messageId)).toContain(hit.messageId)
  } else {
    const hidden = { ...around }
    const none = { around: 1_000_000 + target.sequenceId, limit: probe.limit }
    const [a, b] = [await p.get(probe.caller, path, hidden), await p.get(probe.caller, path, none)]
    expect([a.status, b.status]).toEqual([404, 404])
    // The detail names the sequence id first (the conversation id may contain the same digits).
    const strip = (body: { detail: string }, n: number) =>
      JSON.stringify({ ...body, instance: undefined, detail: body.detail.replace(String(n), '<n>') })
    expect(strip(a.body, hidden.around)).toBe(strip(b.body, none.around))
  }
}
