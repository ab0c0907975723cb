/**
 * @module The random worlds of the permission suite (issue 8): people (some hidden, some placed,
 * tagged), public and private groups, friendships, and a script of commands that change who may
 * see what (joins, leaves, messages, resends, recalls, opting out of discovery, friendships).
 * Small id and word pools on purpose: collisions are what makes a permission bug visible.
 */
import fc from 'fast-check'

export const USER_IDS = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5'] as const
export const GROUP_IDS = ['g0', 'g1', 'g2'] as const
/** Ids nothing ever creates: a caller's answer about them must look like one about a hidden record. */
export const MISSING_USER = 'u9'
export const MISSING_GROUP = 'g9'
export const MISSING_CONVERSATION = 'nowhere'

export const CENTRE = { lat: 30.263093, lon: 120.13362 }
/** People sit on a 0.001° grid, groups on one shifted by 0.0003°: no group shares a person's coordinate. */
export const GRID = 0.001
export const GROUP_SHIFT = 0.0003

export const USER_NAMES = ['张伟', '张薇', '王芳', 'Alice Johnson', 'Alicia Jonson', '田中太郎', '曾小明']
export const GROUP_NAMES = ['张伟的群', 'hiking club', '摄影 photo', 'Alice team', '曾经的群']
export const TAGS = ['hiking', '摄影', 'Coffee', 'go']
export const NICKNAMES = ['老张', 'boss', 'Ally']
/** Overlapping words, so that adjacency and order decide matches: 上海 / 海东 / 东边, deploy / Deploy. */
export const WORDS = [
  '上海',
  '东边',
  '海东',
  '测试',
  '令牌',
  'JWT',
  'jwt',
  'deploy',
  'Deploy',
  'k8s',
  '表格存储',
  '🙂',
]
export const MESSAGE_TYPES = ['text', 'image', 'file'] as const
/** Attachments whose names share words with the content pool, so a term can match either. */
export const ATTACHMENTS = [
  { name: 'Q3预算.xlsx', kind: 'file' },
  { name: '上海 deploy.pdf', kind: 'file' },
  { name: '东边.png', kind: 'image', size: 2048 },
  { name: 'jwt令牌.mp4', kind: 'video' },
  { name: '测试 voice.m4a', kind: 'audio', size: 10 },
] as const
/** Messages are this far apart (two per step): a world's messages span several days in any zone. */
export const MESSAGE_SPACING_MS = 5 * 3_600_000

/** What a message may carry besides its words: a link, mentions, attachments. */
export interface Extras {
  link: boolean
  mentions: UserId[]
  mentionAll: boolean
  attachments: number[]
}

export type UserId = (typeof USER_IDS)[number]
export type GroupId = (typeof GROUP_IDS)[number]

export interface TagSpec {
  name: string
  weight: number
}
export interface PlaceSpec {
  /** Grid steps north and east of {@link CENTRE}. */
  north: number
  east: number
}
export interface UserSpec {
  name: string
  discoverable: boolean
  place: PlaceSpec | undefined
  tags: TagSpec[]
}
export interface GroupSpec {
  name: string
  private: boolean
  owner: UserId
  members: UserId[]
  place: PlaceSpec | undefined
  tags: TagSpec[]
}
export interface WorldSpec {
  users: UserSpec[]
  groups: GroupSpec[]
  friendships: [UserId, UserId][]
}

export type Command =
  | { kind: 'join' | 'leave'; group: GroupId; user: UserId }
  | {
      kind: 'group'
      group: GroupId
      sender: UserId
      words: string[]
      spaced: boolean
      type: string
      extras: Extras
    }
  /**
   * A message with named recipients in one of a few shared rooms: who sees it is its recipient
   * list, never the room, so one room holds messages each caller sees only some of.
   */
  | {
      kind: 'direct'
      room: number
      sender: UserId
      to: UserId[]
      words: string[]
      spaced: boolean
      type: string
      extras: Extras
    }
  /** The same message id again: idempotent while stored; after a recall it is a new message. */
  | { kind: 'resend' | 'recall'; pick: number }
  | { kind: 'discoverable'; user: UserId; discoverable: boolean }
  | { kind: 'befriend'; a: UserId; b: UserId; nickname: string | undefined }
  | { kind: 'unfriend'; a: UserId; b: UserId }

export const userId = fc.constantFrom(...USER_IDS)
export const groupId = fc.constantFrom(...GROUP_IDS)
/** Three in four people and groups have a place. */
const place = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  {
    weight: 3,
    arbitrary: fc.record({
      north: fc.integer({ min: -40, max: 40 }),
      east: fc.integer({ min: -40, max: 40 }),
    }),
  },
)
/** Three in four people are discoverable. */
const discoverable = fc.constantFrom(true, true, true, false)
const tags = fc.uniqueArray(
  fc.record({ name: fc.constantFrom(...TAGS), weight: fc.integer({ min: 1, max: 3 }) }),
  { maxLength: 3, selector: (t) => t.name },
)

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  users: fc.array(fc.record({ name: fc.constantFrom(...USER_NAMES), discoverable, place, tags }), {
    minLength: USER_IDS.length,
    maxLength: USER_IDS.length,
  }),
  groups: fc.array(
    fc.record({
      name: fc.constantFrom(...GROUP_NAMES),
      private: fc.boolean(),
      owner: userId,
      members: fc.subarray([...USER_IDS]),
      place,
      tags,
    }),
    { minLength: GROUP_IDS.length, maxLength: GROUP_IDS.length },
  ),
  friendships: fc.array(fc.tuple(userId, userId), { maxLength: 6 }),
})

const words = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
const type = fc.constantFrom(...MESSAGE_TYPES)
/** Most messages carry nothing more; some a link, mentions (anyone, recipient or not), attachments. */
const extras: fc.Arbitrary<Extras> = fc.record({
  link: fc.boolean(),
  mentions: fc.oneof(
    { weight: 2, arbitrary: fc.constant([] as UserId[]) },
    { weight: 1, arbitrary: fc.uniqueArray(userId, { maxLength: 2 }) },
  ),
  mentionAll: fc.constantFrom(false, false, false, true),
  attachments: fc.oneof(
    { weight: 2, arbitrary: fc.constant([] as number[]) },
    { weight: 1, arbitrary: fc.uniqueArray(fc.nat({ max: ATTACHMENTS.length - 1 }), { maxLength: 2 }) },
  ),
})

export const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), group: groupId, user: userId }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('leave' as const), group: groupId, user: userId }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('group' as const),
      group: groupId,
      sender: userId,
      words,
      spaced: fc.boolean(),
      type,
      extras,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('direct' as const),
      room: fc.nat({ max: 2 }),
      sender: userId,
      to: fc.uniqueArray(userId, { minLength: 1, maxLength: 2 }),
      words,
      spaced: fc.boolean(),
      type,
      extras,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resend' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('recall' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('discoverable' as const),
      user: userId,
      discoverable: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('befriend' as const),
      a: userId,
      b: userId,
      nickname: fc.option(fc.constantFrom(...NICKNAMES), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unfriend' as const), a: userId, b: userId }) },
)

/** A grid place as coordinates; groups sit on the shifted grid. */
export function coordinates(p: PlaceSpec, shift = 0): { lat: number; lon: number } {
  return { lat: CENTRE.lat + p.north * GRID + shift, lon: CENTRE.lon + p.east * GRID + shift }
}
