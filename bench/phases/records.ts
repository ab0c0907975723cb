/** @module Corpus population → the service's domain records. */

import type { TagInput } from '../../fixtures/generator/model.ts'
import type { Group } from '../../src/domain/group.ts'
import type { Tag } from '../../src/domain/tag.ts'
import type { User } from '../../src/domain/user.ts'
import type { BenchGroup, BenchUser, Corpus } from '../corpus/index.ts'

export function toTags(tags: readonly TagInput[]): Tag[] {
  return tags.map((t) => (typeof t === 'string' ? { name: t, weight: 1 } : t))
}

export function toUser(user: BenchUser): User {
  return {
    userId: user.userId,
    name: user.name,
    tags: toTags(user.tags),
    ...(user.location ? { location: user.location } : {}),
    discoverable: user.discoverable,
    profile: { city: user.city.display },
  }
}

/** Groups are created a day before the first message. */
export function creationTime(corpus: Corpus): number {
  return corpus.config.start - 86_400_000
}

export function toGroup(corpus: Corpus, group: BenchGroup): Group {
  return {
    groupId: group.groupId,
    name: group.name,
    description: group.description,
    tags: toTags(group.tags),
    ...(group.location ? { location: group.location } : {}),
    visibility: group.visibility,
    ownerId: corpus.users[group.owner]!.userId,
    createdAt: creationTime(corpus),
    memberCount: group.initial.length,
  }
}
