/**
 * @module The shape of a benchmark corpus as a function of its message count. At 1,000,000
 * messages: 100,000 users, 20,000 groups (2 to 2,000 members), 150,000 direct chats, 60% group
 * messages. Below that the population scales down with the messages (never below a small floor),
 * so that each user sees about the same share of the corpus at every size.
 */
import { YEAR_END, YEAR_START } from '../../fixtures/generator/time.ts'

export interface CorpusConfig {
  seed: number
  messages: number
  users: number
  groups: number
  directChats: number
  /** Share of messages sent in groups; the rest are direct messages. */
  groupShare: number
  maxGroupSize: number
  /** Share of a group's members who join after its first message (the rest join at creation). */
  lateJoinShare: number
  /** Share of non-owner members who leave at some point. */
  leaveShare: number
  /** Epoch ms of the first and last message. */
  start: number
  end: number
}

export const DEFAULT_SEED = 20_250_101
const FULL = 1_000_000

export function corpusConfig(messages: number, seed = DEFAULT_SEED): CorpusConfig {
  if (!Number.isInteger(messages) || messages < 1) throw new Error(`messages must be a positive integer`)
  const scale = Math.min(1, messages / FULL)
  const users = Math.max(200, Math.round(100_000 * scale))
  return {
    seed,
    messages,
    users,
    groups: Math.max(40, Math.round(20_000 * scale)),
    directChats: Math.max(100, Math.round(150_000 * scale)),
    groupShare: 0.6,
    maxGroupSize: Math.min(2000, Math.floor(users / 2)),
    lateJoinShare: 0.2,
    leaveShare: 0.03,
    start: YEAR_START,
    end: YEAR_END,
  }
}
