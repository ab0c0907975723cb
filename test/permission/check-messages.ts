/**
 * @module Message search and history against the oracle: exact hit sets and totals over every
 * page, the order of the requested sort, hits that show the stored message and nothing of its
 * recipients, highlights made of the hit's own text, and history 404s that look exactly like
 * those of a conversation that does not exist.
 */
import { expect } from 'vitest'
import { escapeHtml } from '../../src/text/highlight.ts'
import { expectJson, T0 } from '../routes/harness.ts'
import type { ModelMessage } from './model.ts'
import { byTime, expectedHistory, expectedMessages, type MessageQuery, timeKey } from './oracle.ts'
import { idOf, type Params, type Prober } from './probe.ts'
import type { Probe } from './probes.ts'
import { MISSING_CONVERSATION } from './world.ts'

/** What a hit shows, sorted: the message without its recipients or conversation type. */
const HISTORY_KEYS = [
  'content',
  'conversationId',
  'messageId',
  'senderId',
  'sentAt',
  'sequenceId',
  'type',
].sort()
const HIT_KEYS = [...HISTORY_KEYS, 'highlight', 'score'].sort()

/** The probe's conversation pick: one of the model's, or (past the end) one that does not exist. */
export function conversationOf(p: Prober, pick: number): string {
  const ids = p.model.conversationIds()
  return ids[pick % (ids.length + 1)] ?? MISSING_CONVERSATION
}

export function messageQuery(p: Prober, probe: Extract<Probe, { kind: 'messages' }>): MessageQuery {
  const at = (s: number | undefined) => (s === undefined ? undefined : T0 + s * 1000)
  return {
    caller: probe.caller,
    q: probe.q,
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
  const { caller, ...params } = query
  const { hits } = await p.pageAll(caller, '/v1/search/messages', params as Params, expected)
  const oracle = expectedMessages(p.model, query)
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
    expect(hit.highlight.includes('<em>')).toBe(oracle.terms.length > 0)
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
function shown(m: ModelMessage) {
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
