/**
 * @module The searchers: from the visible count of every user (measured while generating), the
 * user closest to a target share of all messages, confirmed by the engine's own total; and a
 * conversation of theirs for the filter-only query.
 */
import type { Services } from '../../src/services/index.ts'
import type { Corpus } from '../corpus/index.ts'
import { AUDIENCES, type Audience } from './queries.ts'

export interface Searcher {
  audience: Audience
  userId: string
  /** Messages the user may see (generator count) and as a share of all messages. */
  visible: number
  share: number
  /** The engine's total for the user's filter-only search of everything: must equal `visible`. */
  engineTotal: number
  /** The conversation for the filter-only query: the one most present among their latest messages. */
  conversationId: string
  conversationMessages: number
}

export async function pickSearcher(
  corpus: Corpus,
  visible: Int32Array,
  audience: Audience,
  share: number,
  services: Services,
): Promise<Searcher> {
  const target = share * corpus.config.messages
  let best = -1
  for (let i = 0; i < visible.length; i++) {
    const v = visible[i]!
    if (v === 0) continue
    if (best < 0 || Math.abs(v - target) < Math.abs(visible[best]! - target)) best = i
  }
  if (best < 0) throw new Error('no user sees any message')
  const userId = corpus.users[best]!.userId
  const all = await services.messages.search(userId, { limit: 100, sort: 'newest' })
  const byConversation = new Map<string, number>()
  for (const hit of all.hits)
    byConversation.set(hit.conversationId, (byConversation.get(hit.conversationId) ?? 0) + 1)
  const conversationId = [...byConversation].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0]
  if (!conversationId) throw new Error(`${userId} has no message`)
  const inConversation = await services.messages.search(userId, { conversationId, limit: 1 })
  return {
    audience,
    userId,
    visible: visible[best]!,
    share: Math.round((visible[best]! / corpus.config.messages) * 10_000) / 10_000,
    engineTotal: all.total,
    conversationId,
    conversationMessages: inConversation.total,
  }
}

/** The bench's searchers: the user nearest each audience's share (1%, then 10%). */
export async function pickSearchers(
  corpus: Corpus,
  visible: Int32Array,
  services: Services,
): Promise<Searcher[]> {
  const searchers: Searcher[] = []
  for (const { audience, share } of AUDIENCES)
    searchers.push(await pickSearcher(corpus, visible, audience, share, services))
  return searchers
}
