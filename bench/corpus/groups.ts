/**
 * @module Benchmark groups: sizes from 2 to 2,000 with a long tail (Pareto α = 1 from 2: median 4,
 * mean about 14, p99 about 200), members drawn by sociability, most joining at creation and the
 * rest during the year; a few leave. Names, descriptions, tags, languages and topics follow the
 * fixtures' group themes. Larger groups talk more (activity ∝ size^0.8, log-normal noise).
 */
import { GROUP_SPECS } from '../../fixtures/generator/groups.ts'
import type { ChatLanguage, Topic } from '../../fixtures/generator/messages.ts'
import type { GeoPoint, TagInput } from '../../fixtures/generator/model.ts'
import { chance, float, type Rng, substream } from '../../fixtures/generator/prng.ts'
import { cityByKey } from '../../fixtures/generator/vocabulary.ts'
import type { CorpusConfig } from './config.ts'
import { logNormal, pareto, WeightedIndex } from './sampling.ts'
import type { BenchUser } from './users.ts'

export interface MembershipChange {
  at: number
  group: number
  user: number
  kind: 'join' | 'leave'
}

export interface BenchGroup {
  groupId: string
  name: string
  description: string
  tags: TagInput[]
  location?: GeoPoint
  visibility: 'public' | 'private'
  lang: ChatLanguage
  topics: Topic[]
  owner: number
  /** Members at creation (owner first), by user index. */
  initial: number[]
  /** Relative share of group traffic. */
  activity: number
}

export interface BuiltGroups {
  groups: BenchGroup[]
  /** Joins after creation and leaves, in time order. */
  changes: MembershipChange[]
}

export function groupSize(rng: Rng, max: number): number {
  return Math.max(2, Math.min(max, Math.floor(pareto(rng, 2, 1))))
}

function topicsOf(spec: (typeof GROUP_SPECS)[number]): Topic[] {
  return Object.entries(spec.topics).flatMap(([topic, weight]) =>
    Array<Topic>(weight ?? 0).fill(topic as Topic),
  )
}

export function buildGroups(config: CorpusConfig, users: readonly BenchUser[]): BuiltGroups {
  const rng = substream(config.seed, 'groups')
  const byUser = new WeightedIndex(users.map((u) => u.sociability))
  const groups: BenchGroup[] = []
  const changes: MembershipChange[] = []
  for (let g = 0; g < config.groups; g++) {
    const spec = GROUP_SPECS[g % GROUP_SPECS.length] as (typeof GROUP_SPECS)[number]
    const round = Math.floor(g / GROUP_SPECS.length)
    const size = groupSize(rng, config.maxGroupSize)
    const members = byUser.distinct(rng, size)
    const owner = members[0] as number
    const initial: number[] = []
    const joinedAt = new Map<number, number>()
    for (const [i, user] of members.entries()) {
      if (i === 0 || !chance(rng, config.lateJoinShare)) initial.push(user)
      else {
        const at = float(rng, config.start, config.end)
        joinedAt.set(user, at)
        changes.push({ at, group: g, user, kind: 'join' })
      }
    }
    for (const user of members.slice(1)) {
      if (!chance(rng, config.leaveShare)) continue
      const at = float(rng, joinedAt.get(user) ?? config.start, config.end)
      changes.push({ at, group: g, user, kind: 'leave' })
    }
    const group: BenchGroup = {
      groupId: `g${g + 1}`,
      name: round === 0 ? spec.name : `${spec.name} ${round + 1}`,
      description: spec.description,
      tags: spec.tags,
      visibility: chance(rng, 0.3) ? 'private' : spec.visibility,
      lang: spec.lang,
      topics: topicsOf(spec),
      owner,
      initial,
      activity: size ** 0.8 * logNormal(rng, 1),
    }
    if (spec.cityKey) {
      const district = cityByKey(spec.cityKey).districts[spec.district ?? 0]
      if (district) group.location = { lat: district.lat, lon: district.lon }
    }
    groups.push(group)
  }
  changes.sort((a, b) => a.at - b.at)
  return { groups, changes }
}
