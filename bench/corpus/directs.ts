/**
 * @module Direct chats: pairs of users, one drawn by sociability and the other, half the time,
 * from a group they share (people mostly DM those they meet in groups), the rest at random.
 * Activity is log-normal: most pairs exchange a few messages, some talk every day.
 */
import type { ChatLanguage, Topic } from '../../fixtures/generator/messages.ts'
import { directConversationId } from '../../fixtures/generator/model.ts'
import { chance, pick, type Rng, substream } from '../../fixtures/generator/prng.ts'
import type { CorpusConfig } from './config.ts'
import type { BenchGroup, MembershipChange } from './groups.ts'
import { logNormal, WeightedIndex } from './sampling.ts'
import type { BenchUser } from './users.ts'

export interface DirectChat {
  conversationId: string
  a: number
  b: number
  lang: ChatLanguage
  topic: Topic
  activity: number
}

const DIRECT_TOPICS: readonly Topic[] = [
  'daily',
  'daily',
  'work',
  'food',
  'family',
  'tech',
  'travel',
  'outdoor',
]

function chatLanguage(rng: Rng, a: BenchUser, b: BenchUser): ChatLanguage {
  if (a.lang === b.lang) return a.lang
  return chance(rng, 0.5) ? a.lang : b.lang
}

export function buildDirects(
  config: CorpusConfig,
  users: readonly BenchUser[],
  groups: readonly BenchGroup[],
  changes: readonly MembershipChange[],
): DirectChat[] {
  const rng = substream(config.seed, 'directs')
  const byUser = new WeightedIndex(users.map((u) => u.sociability))
  const groupsOf: number[][] = users.map(() => [])
  for (const [g, group] of groups.entries()) for (const u of group.initial) groupsOf[u]?.push(g)
  for (const c of changes) if (c.kind === 'join') groupsOf[c.user]?.push(c.group)
  const seen = new Set<string>()
  const chats: DirectChat[] = []
  const target = Math.min(config.directChats, Math.floor((users.length * (users.length - 1)) / 2))
  for (let attempts = 0; chats.length < target && attempts < target * 20; attempts++) {
    const a = byUser.draw(rng)
    let b: number
    const mine = groupsOf[a] ?? []
    if (mine.length > 0 && chance(rng, 0.5)) b = pick(rng, (groups[pick(rng, mine)] as BenchGroup).initial)
    else b = byUser.draw(rng)
    if (a === b) continue
    const ua = users[a] as BenchUser
    const ub = users[b] as BenchUser
    const conversationId = directConversationId(ua.userId, ub.userId)
    if (seen.has(conversationId)) continue
    seen.add(conversationId)
    chats.push({
      conversationId,
      a,
      b,
      lang: chatLanguage(rng, ua, ub),
      topic: pick(rng, DIRECT_TOPICS),
      activity: logNormal(rng, 1.2),
    })
  }
  return chats
}
