/**
 * @module A corpus: the population (users, groups with their membership changes, direct chats),
 * built eagerly because it is small, and the messages, generated lazily by `corpusEvents`.
 */
import { type CorpusConfig, corpusConfig } from './config.ts'
import { buildDirects, type DirectChat } from './directs.ts'
import { type BenchGroup, buildGroups, type MembershipChange } from './groups.ts'
import { type BenchUser, buildUsers } from './users.ts'

export interface Corpus {
  config: CorpusConfig
  users: BenchUser[]
  groups: BenchGroup[]
  changes: MembershipChange[]
  directs: DirectChat[]
}

export function buildCorpus(config: CorpusConfig): Corpus {
  const users = buildUsers(config)
  const { groups, changes } = buildGroups(config, users)
  const directs = buildDirects(config, users, groups, changes)
  return { config, users, groups, changes, directs }
}

/** The corpus of `messages` messages with the default shape. */
export function corpusOf(messages: number, seed?: number): Corpus {
  return buildCorpus(corpusConfig(messages, seed))
}
