/**
 * @module What random callers ask, as data: message searches with every filter and sort, history
 * reads, people and group discovery by name, tag and place, profiles, groups and members, the
 * caller's own lists, and forged cursors. Picks (`nat`) are resolved against the model when the
 * probe runs, so a probe always names something that exists at that moment (or, on purpose, not).
 */
import fc from 'fast-check'
import { MESSAGE_TYPES, TAGS, USER_IDS, USER_NAMES, userId, WORDS } from './world.ts'

const MESSAGE_QUERIES = [
  ...WORDS,
  '上海东边',
  '海',
  '东',
  '"上海 东边"',
  '测试 jwt',
  '格存',
  'k8s deploy',
  'jwt令牌',
  '!!',
  'q3预算',
  'pdf',
  '"deploy pdf"',
  'example',
]
const USER_QUERIES = [
  ...USER_NAMES,
  ...['张', '伟', 'zhangwei', 'zw', 'zhang wei', 'zeng', 'ceng', 'Alice', 'alcie johnson', 'Jonhson'],
  ...['ang', '王', '太郎', 'xyz', 'ALICE JOHNSON', '老张', 'boss', '?'],
]
const GROUP_QUERIES = [
  '的群',
  'hiking',
  'club',
  'photo',
  '摄影',
  'Alice',
  'team',
  'zwdq',
  'zengjing',
  '张伟的群',
  'xyz',
]
const QUERY_TAGS = [...TAGS, 'COFFEE', 'Hiking', 'chess']

export type Area =
  | { kind: 'radius'; north: number; east: number; metres: number }
  | { kind: 'box'; north: number; west: number; south: number; east: number }
  | { kind: 'polygon'; north: number; west: number; south: number; east: number }

/** A search box operator, resolved against the model when the probe runs. */
export type Op =
  | { kind: 'from'; user: string }
  /** Into the model's conversations; past the end: one that does not exist. */
  | { kind: 'in'; conversation: number }
  | { kind: 'has'; value: 'link' | 'file' | 'image' | 'video' | 'audio' | 'mention' }
  | { kind: 'mentioned' }
  /** A calendar day (days after 2024-12-31) or an instant (message spacings after T0). */
  | { kind: 'after' | 'before' | 'during'; day: number; at: number; asDate: boolean }
  | { kind: 'exclude'; word: string; quoted: boolean }

export const ZONES = ['UTC', 'Asia/Shanghai', 'Asia/Kolkata'] as const
export const FACETS = ['conversation', 'sender', 'type', 'day'] as const

export type Probe =
  | {
      kind: 'messages'
      caller: string
      q: string | undefined
      ops: Op[]
      tz: (typeof ZONES)[number] | undefined
      facets: (typeof FACETS)[number][]
      /** Into the model's conversations; past the end: one that does not exist. */
      conversation: number | undefined
      sender: string | undefined
      type: string | undefined
      /** Seconds after T0, inclusive and exclusive. */
      after: number | undefined
      before: number | undefined
      sort: 'relevance' | 'newest' | 'oldest' | undefined
      limit: number
    }
  | { kind: 'history'; caller: string; conversation: number; limit: number; around: number }
  /** Chats grouped, and the one box. */
  | {
      kind: 'conversations' | 'onebox'
      caller: string
      q: string | undefined
      ops: Op[]
      tz: (typeof ZONES)[number] | undefined
      limit: number
    }
  | {
      kind: 'users' | 'groups'
      caller: string
      q: string | undefined
      tags: string[]
      tagMode: 'any' | 'all'
      area: Area | undefined
      /** Measure distances from here (with a box or polygon), or only sort by them. */
      near: { north: number; east: number } | undefined
      byDistance: boolean
      limit: number
    }
  | { kind: 'profile'; caller: string; user: string }
  | { kind: 'group'; caller: string; group: string }
  | { kind: 'mine'; caller: string; q: string | undefined; sort: 'added' | 'name' | undefined; limit: number }
  | { kind: 'cursor'; caller: string; pick: number; attack: Attack }

export type Attack =
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; tail: string }
  | { kind: 'other-user' | 'other-search' | 'other-endpoint' | 'other-limit' }
  | { kind: 'splice'; other: number }

const caller = userId
const limit = fc.integer({ min: 1, max: 4 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('from' as const), user: fc.constantFrom(...USER_IDS) }),
  fc.record({ kind: fc.constant('in' as const), conversation: fc.nat({ max: 12 }) }),
  fc.record({
    kind: fc.constant('has' as const),
    value: fc.constantFrom(
      'link' as const,
      'file' as const,
      'image' as const,
      'video' as const,
      'audio' as const,
      'mention' as const,
    ),
  }),
  fc.record({ kind: fc.constant('mentioned' as const) }),
  fc.record({
    kind: fc.constantFrom('after' as const, 'before' as const, 'during' as const),
    day: fc.nat({ max: 5 }),
    at: fc.nat({ max: 20 }),
    asDate: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('exclude' as const),
    word: fc.constantFrom(...WORDS, 'xlsx', '东边 png'),
    quoted: fc.boolean(),
  }),
)
/** Usually none, at most three (operators alone are a query). */
const ops = fc.oneof(
  { weight: 1, arbitrary: fc.constant([] as Op[]) },
  { weight: 2, arbitrary: fc.array(op, { minLength: 1, maxLength: 3 }) },
)
const zone = fc.constantFrom(undefined, ...ZONES)
/** Set one time in `1 + absent`: several filters at once rarely leave anything to page through. */
const option = <T>(a: fc.Arbitrary<T>, absent = 3) =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a })
const step = fc.integer({ min: -40, max: 40 })
/** Centres near the middle of the world, where the people are. */
const centreStep = fc.integer({ min: -15, max: 15 })

const area: fc.Arbitrary<Area> = fc.oneof(
  fc.record({
    kind: fc.constant('radius' as const),
    north: centreStep,
    east: centreStep,
    metres: fc.integer({ min: 500, max: 8000 }),
  }),
  ...(['box', 'polygon'] as const).map((kind) =>
    fc.tuple(step, step, step, step).map(([a, b, c, d]) => ({
      kind,
      north: Math.max(a, b),
      south: Math.min(a, b),
      west: Math.min(c, d),
      east: Math.max(c, d),
    })),
  ),
)

const discovery = (kind: 'users' | 'groups', queries: string[]): fc.Arbitrary<Probe> =>
  fc.record({
    kind: fc.constant(kind),
    caller,
    q: option(fc.constantFrom(...queries), 1),
    tags: fc.uniqueArray(fc.constantFrom(...QUERY_TAGS), { maxLength: 3 }),
    tagMode: fc.constantFrom('any' as const, 'all' as const),
    area: option(area),
    near: option(fc.record({ north: step, east: step })),
    byDistance: fc.boolean(),
    limit,
  })

/** Base64url and the characters a lax decoder might skip or map onto it. */
const CURSOR_CHARS = 'AQgw-_09azZ+/=.!'

const attack: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom(...CURSOR_CHARS) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('extend' as const),
    tail: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...CURSOR_CHARS) }),
  }),
  fc.record({
    kind: fc.constantFrom(
      'other-user' as const,
      'other-search' as const,
      'other-endpoint' as const,
      'other-limit' as const,
    ),
  }),
  fc.record({ kind: fc.constant('splice' as const), other: fc.nat() }),
)

export const probe: fc.Arbitrary<Probe> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('messages' as const),
      caller,
      q: option(fc.constantFrom(...MESSAGE_QUERIES), 1),
      ops,
      tz: zone,
      facets: fc.subarray([...FACETS]),
      conversation: option(fc.nat({ max: 12 })),
      sender: option(fc.constantFrom(...USER_IDS), 5),
      type: option(fc.constantFrom(...MESSAGE_TYPES), 5),
      after: option(fc.nat({ max: 20 }), 5),
      before: option(fc.integer({ min: 5, max: 40 }), 5),
      sort: option(fc.constantFrom('relevance' as const, 'newest' as const, 'oldest' as const)),
      limit,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('history' as const),
      caller,
      conversation: fc.nat({ max: 12 }),
      limit,
      around: fc.nat(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('conversations' as const, 'onebox' as const),
      caller,
      q: option(fc.constantFrom(...MESSAGE_QUERIES, ...GROUP_QUERIES, ...USER_QUERIES), 1),
      ops,
      tz: zone,
      limit,
    }),
  },
  { weight: 3, arbitrary: discovery('users', USER_QUERIES) },
  { weight: 2, arbitrary: discovery('groups', GROUP_QUERIES) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('profile' as const),
      caller,
      user: fc.constantFrom(...USER_IDS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('group' as const),
      caller,
      group: fc.constantFrom('g0', 'g1', 'g2'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('mine' as const),
      caller,
      q: option(fc.constantFrom(...USER_QUERIES)),
      sort: option(fc.constantFrom('added' as const, 'name' as const)),
      limit,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('cursor' as const), caller, pick: fc.nat(), attack }),
  },
)
