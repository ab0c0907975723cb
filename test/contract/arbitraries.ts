/**
 * @module fast-check generators for the contract's property tests: small corpora drawn from
 * small alphabets (Chinese, Japanese, Korean, English, digits), so that random queries match often,
 * and random queries over them.
 */
import fc from 'fast-check'
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { GroupDocument, MessageDocument, UserDocument } from '../../src/ports/documents.ts'
import type { Query } from '../../src/query/dsl.ts'
import { groupDocument, messageDocument, userDocument } from '../../src/services/documents.ts'
import { isCjkToken, tokenize } from '../../src/text/analyzer.ts'
import { nameForms } from '../../src/text/name-forms.ts'
import { T0 } from './fixtures.ts'

export const PEOPLE = ['u1', 'u2', 'u3', 'u4'] as const
const CONVERSATIONS = [
  ['c-team', 'group'],
  ['c-family', 'group'],
  ['d-12', 'single'],
  ['d-34', 'single'],
] as const
const TYPES = ['text', 'image', 'file'] as const
/** Content pieces: single characters and words, in several scripts, cases and widths. */
export const PIECES = [
  '上',
  '海',
  '东',
  '边',
  '测',
  '试',
  '上海',
  '测试',
  '解析',
  'カ',
  'タ',
  'の',
  'ひ',
  '한',
  '국',
  'jwt',
  'pdf',
  'api',
  'JWT',
  'Pdf',
  'ＰＤＦ',
  '42',
  'x1',
] as const
const SEPARATORS = ['', '', ' ', ' ', ',', '，', '。', '!', '-', '\n', '\u3000', '🙂'] as const

export const contentArb = fc
  .array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...SEPARATORS)), {
    maxLength: 10,
    size: 'medium',
  })
  .map((parts) => parts.map(([piece, sep]) => piece + sep).join(''))

const messageFieldsArb = fc.record({
  content: contentArb,
  conversation: fc.nat({ max: CONVERSATIONS.length - 1 }),
  sender: fc.constantFrom(...PEOPLE),
  others: fc.subarray([...PEOPLE]),
  type: fc.constantFrom(...TYPES),
  // Few distinct values, so that sorts meet ties on sentAt and on (sentAt, sequenceId).
  sentAt: fc.integer({ min: 0, max: 5 }).map((slot) => T0 + slot * 1000),
  sequenceId: fc.integer({ min: 0, max: 6 }),
})

type MessageFields = typeof messageFieldsArb extends fc.Arbitrary<infer F> ? F : never

function toMessage(messageId: string, f: MessageFields): MessageDocument {
  const [conversationId, conversationType] = CONVERSATIONS[f.conversation] ?? CONVERSATIONS[0]
  return messageDocument({
    messageId,
    conversationId,
    conversationType,
    senderId: f.sender,
    recipients: [f.sender, ...f.others],
    type: f.type,
    content: f.content,
    sentAt: f.sentAt,
    sequenceId: f.sequenceId,
  })
}

/** A corpus and the writes that follow its first load: replacements and removals by position. */
export const messageCorpusArb = fc
  .record({
    fields: fc.array(messageFieldsArb, { maxLength: 40, size: 'medium' }),
    updates: fc.array(fc.tuple(fc.nat(), messageFieldsArb), { maxLength: 4 }),
    removals: fc.array(fc.nat(), { maxLength: 4 }),
  })
  .map(({ fields, updates, removals }) => {
    const initial = fields.map((f, i) => toMessage(`m${i}`, f))
    const replaced = initial.length ? updates.map(([at, f]) => toMessage(`m${at % initial.length}`, f)) : []
    const removed = initial.length ? removals.map((at) => `m${at % initial.length}`) : []
    const final = new Map(initial.map((d) => [d.messageId, d]))
    for (const d of replaced) final.set(d.messageId, d)
    for (const id of removed) final.delete(id)
    return { initial, replaced, removed, final: [...final.values()] }
  })
export type MessageCorpus = typeof messageCorpusArb extends fc.Arbitrary<infer C> ? C : never

/**
 * Where a query term comes from: a slice of the query's anchor document (so that several terms
 * often match one document together), of some other document, or a stray piece.
 */
export const termPickArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('slice' as const),
      doc: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, fc.nat()),
      start: fc.nat(),
      length: fc.integer({ min: 1, max: 3 }),
      upper: fc.boolean(),
      wide: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('piece' as const), piece: fc.constantFrom(...PIECES) }),
)
export type TermPick = typeof termPickArb extends fc.Arbitrary<infer P> ? P : never

/** Text whose tokens are exactly `tokens`: CJK glued, other runs spaced and quoted. */
export function phraseText(tokens: readonly string[]): string {
  let text = ''
  let spaced = false
  tokens.forEach((token, i) => {
    const prev = tokens[i - 1]
    if (prev !== undefined && !isCjkToken(prev) && !isCjkToken(token)) {
      text += ' '
      spaced = true
    }
    text += token
  })
  return spaced ? `"${text}"` : text
}

const toFullWidth = (text: string) =>
  text.replace(/[!-~]/g, (ch) => (ch === '"' ? ch : String.fromCharCode(ch.charCodeAt(0) + 0xfee0)))

/** Resolve a pick against the corpus (and the query's anchor document) into query-term text. */
export function termText(pick: TermPick, corpus: readonly MessageDocument[], anchor: number): string {
  if (pick.kind === 'piece') return pick.piece
  const doc = corpus[(pick.doc ?? anchor) % Math.max(corpus.length, 1)]
  const tokens = doc ? tokenize(doc.content) : []
  if (tokens.length === 0) return '上海'
  const start = pick.start % tokens.length
  let text = phraseText(tokens.slice(start, start + pick.length))
  if (pick.upper) text = text.toUpperCase()
  if (pick.wide) text = toFullWidth(text)
  return text
}

/** Mostly absent: four filters that all apply would rarely leave anything to find. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, arb)

export const messageFiltersArb = fc.record({
  conversation: rarely(fc.constantFrom(...CONVERSATIONS.map(([id]) => id))),
  senders: rarely(fc.subarray([...PEOPLE], { minLength: 1 })),
  type: rarely(fc.constantFrom(...TYPES)),
  range: rarely(
    fc.record({
      from: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      to: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    }),
  ),
})
export type MessageFilters = typeof messageFiltersArb extends fc.Arbitrary<infer F> ? F : never

export function filterQueries(f: MessageFilters): Query[] {
  const out: Query[] = []
  if (f.conversation) out.push({ term: { field: 'conversationId', value: f.conversation } })
  if (f.senders) out.push({ terms: { field: 'senderId', values: f.senders } })
  if (f.type) out.push({ term: { field: 'type', value: f.type } })
  if (f.range && (f.range.from !== undefined || f.range.to !== undefined)) {
    out.push({
      range: {
        field: 'sentAt',
        gte: f.range.from === undefined ? undefined : T0 + f.range.from * 1000,
        lte: f.range.to === undefined ? undefined : T0 + f.range.to * 1000,
      },
    })
  }
  return out
}

const boostArb = fc.option(fc.constantFrom(0.5, 1, 2, 3), { nil: undefined })

/** Leaves over the messages index that need no corpus: small alphabets make them match often. */
const messageLeafArb: fc.Arbitrary<Query> = fc.oneof(
  fc
    .tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 2 }), boostArb)
    .map(([ps, boost]): Query => ({ match_phrase: { field: 'content', query: ps.join(' '), boost } })),
  fc
    .record({
      ps: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 3 }),
      operator: fc.constantFrom('and' as const, 'or' as const),
      msm: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    })
    .map(({ ps, operator, msm }): Query => {
      const query = ps.join(' ')
      const tokens = tokenize(query)
      // minimum_should_match beyond the distinct tokens, or with repeated tokens, is not specified.
      const clear = msm !== undefined && new Set(tokens).size === tokens.length && msm <= tokens.length
      return { match: { field: 'content', query, operator, minimum_should_match: clear ? msm : undefined } }
    }),
  fc
    .tuple(
      fc.constantFrom('conversationId', 'senderId', 'type', 'recipients'),
      fc.constantFrom(...PEOPLE, ...TYPES, ...CONVERSATIONS.map(([id]) => id)),
      boostArb,
    )
    .map(([field, value, boost]): Query => ({ term: { field, value, boost } })),
  fc
    .tuple(fc.subarray([...PEOPLE], { minLength: 1 }), boostArb)
    .map(([values, boost]): Query => ({ terms: { field: 'senderId', values, boost } })),
  fc
    .tuple(fc.constantFrom(['conversationId', 'c-'], ['conversationId', 'd-'], ['messageId', 'm1']), boostArb)
    .map(([[field, value], boost]): Query => ({ prefix: { field, value, boost } })),
  fc
    .tuple(fc.constantFrom('sentAt', 'sequenceId'), fc.integer({ min: 0, max: 6 }), fc.boolean(), boostArb)
    .map(([field, n, upper, boost]): Query => {
      const v = field === 'sentAt' ? T0 + n * 1000 : n
      return { range: upper ? { field, lt: v, boost } : { field, gte: v, boost } }
    }),
  fc.constant<Query>({ exists: { field: 'conversationId' } }),
  boostArb.map((boost): Query => ({ match_all: { boost } })),
)

/** Random bool trees over the leaves, with constant_score wrappers; small depth. */
export function treeOf(leafArb: fc.Arbitrary<Query>): fc.Arbitrary<Query> {
  return fc.letrec<{ node: Query }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc
        .tuple(tie('node'), fc.constantFrom(0.5, 1, 4))
        .map(([filter, boost]): Query => ({ constant_score: { filter, boost } })),
      fc
        .record({
          must: fc.array(tie('node'), { maxLength: 2 }),
          filter: fc.array(tie('node'), { maxLength: 2 }),
          should: fc.array(tie('node'), { maxLength: 3 }),
          must_not: fc.array(tie('node'), { maxLength: 1 }),
          minimum_should_match: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
        })
        .map((bool): Query => ({ bool })),
    ),
  })).node
}

export const messageTreeArb = treeOf(messageLeafArb)

// ---- users -----------------------------------------------------------------------------------

export const NAME_POOL = [
  '张伟',
  '张三',
  '王伟',
  '张伟伟',
  '小张伟',
  '曾小明',
  '李四',
  '李娜',
  '单田芳',
  'William Li',
  'Wei Zhang',
  'Zhang Wei',
  'Anna Lee',
  'Annabel Lee',
  'Li Na',
] as const
export const TAG_POOL = ['golf', '摄影', 'hiking', '读书', 'music', '音乐'] as const
/** Around Shanghai, where queries are aimed too. */
export const AREA = { south: 30.9, north: 31.5, west: 121.0, east: 121.9 }

export const pointArb: fc.Arbitrary<GeoPoint> = fc.record({
  lat: fc.double({ min: AREA.south, max: AREA.north, noNaN: true }),
  lon: fc.double({ min: AREA.west, max: AREA.east, noNaN: true }),
})

const userFieldsArb = fc.record({
  name: fc.constantFrom(...NAME_POOL),
  tags: fc.uniqueArray(fc.tuple(fc.constantFrom(...TAG_POOL), fc.constantFrom(0.5, 1, 2, 3)), {
    maxLength: 3,
    selector: ([name]) => name,
  }),
  upperTags: fc.boolean(),
  location: fc.option(pointArb, { nil: undefined }),
  discoverable: fc.boolean(),
})

export const userCorpusArb = fc.array(userFieldsArb, { maxLength: 25, size: 'medium' }).map((users) =>
  users.map(
    (u, i): UserDocument =>
      userDocument({
        userId: `user${i}`,
        name: u.name,
        // Tag names are matched after NFKC and lower-casing: index some in upper case.
        tags: u.tags.map(([name, weight]) => ({ name: u.upperTags ? name.toUpperCase() : name, weight })),
        location: u.location,
        discoverable: u.discoverable,
        profile: {},
      }),
  ),
)

/** Name-query text derived from some pool name: exact, prefix, substring, typo or pinyin. */
export const nameTextArb = fc
  .record({
    kind: fc.constantFrom('exact', 'prefix', 'substring', 'typo', 'pinyin'),
    name: fc.constantFrom(...NAME_POOL),
    a: fc.nat(),
    b: fc.nat(),
    letter: fc.constantFrom('a', 'e', 'x', 'n'),
    upper: fc.boolean(),
  })
  .map(({ kind, name, a, b, letter, upper }) => {
    const forms = nameForms(name)
    const pick = (s: string) => {
      const chars = [...s]
      const i = a % Math.max(chars.length, 1)
      const j = i + 1 + (b % Math.max(chars.length - i, 1))
      return chars.slice(i, j).join('')
    }
    let text: string
    switch (kind) {
      case 'exact':
        text = name
        break
      case 'prefix':
        text = [...forms.normalized].slice(0, 1 + (a % [...forms.normalized].length)).join('')
        break
      case 'substring':
        text = pick(forms.compact)
        break
      case 'typo': {
        const word = forms.words[a % forms.words.length] ?? name
        const chars = [...word]
        const at = b % chars.length
        const edits = [
          () => chars.toSpliced(at, 1),
          () => chars.toSpliced(at, 1, letter),
          () => chars.toSpliced(at, 0, letter),
          () => chars.toSpliced(at, 2, ...[chars[at + 1], chars[at]].filter((c) => c !== undefined)),
        ]
        text = (edits[(a + b) % edits.length] ?? edits[0]!)().join('')
        break
      }
      case 'pinyin': {
        const form = forms.pinyin[a % Math.max(forms.pinyin.length, 1)] ?? forms.compact
        text = form.slice(0, 1 + (b % form.length))
        break
      }
    }
    return { kind, text: text.trim() || name, upper }
  })
  .map(({ kind, text, upper }) => ({ kind, text: upper ? text.toUpperCase() : text }))

export const geoQueryArb: fc.Arbitrary<Query> = fc.oneof(
  fc
    .tuple(pointArb, fc.integer({ min: 500, max: 60_000 }))
    .map(([center, distance]): Query => ({ geo_distance: { field: 'location', center, distance } })),
  fc.tuple(pointArb, pointArb).map(
    ([p, q]): Query => ({
      geo_bounding_box: {
        field: 'location',
        top_left: { lat: Math.max(p.lat, q.lat), lon: Math.min(p.lon, q.lon) },
        bottom_right: { lat: Math.min(p.lat, q.lat), lon: Math.max(p.lon, q.lon) },
      },
    }),
  ),
  fc
    .array(pointArb, { minLength: 3, maxLength: 6 })
    .map((points): Query => ({ geo_polygon: { field: 'location', points: simplePolygon(points) } })),
)

export const GROUP_NAME_POOL = [
  '上海摄影俱乐部',
  '上海读书会',
  '杭州高尔夫',
  '读书会',
  'Golf Lovers',
  'Shanghai Runners',
  '张伟的朋友们',
] as const

export const groupCorpusArb = fc
  .array(
    fc.record({
      name: fc.constantFrom(...GROUP_NAME_POOL),
      description: contentArb,
      tags: fc.uniqueArray(fc.tuple(fc.constantFrom(...TAG_POOL), fc.constantFrom(0.5, 1, 2, 3)), {
        maxLength: 3,
        selector: ([name]) => name,
      }),
      location: fc.option(pointArb, { nil: undefined }),
      visibility: fc.constantFrom('public' as const, 'private' as const),
      memberCount: fc.integer({ min: 1, max: 6 }),
      createdAt: fc.integer({ min: 0, max: 4 }),
    }),
    { maxLength: 20, size: 'medium' },
  )
  .map((groups) =>
    groups.map(
      (g, i): GroupDocument =>
        groupDocument({
          groupId: `group${i}`,
          name: g.name,
          description: g.description,
          tags: g.tags.map(([name, weight]) => ({ name, weight })),
          location: g.location,
          visibility: g.visibility,
          ownerId: 'u1',
          memberCount: g.memberCount,
          createdAt: T0 + g.createdAt * 1000,
        }),
    ),
  )

/** Name-query text derived from some group name. */
export const groupNameTextArb = fc
  .record({ name: fc.constantFrom(...GROUP_NAME_POOL), a: fc.nat(), b: fc.nat() })
  .map(({ name, a, b }) => {
    const chars = [...nameForms(name).compact]
    const i = a % chars.length
    return chars.slice(i, i + 1 + (b % 4)).join('')
  })

/** The points ordered by angle around their centroid: a simple (star-shaped) polygon. */
function simplePolygon(points: GeoPoint[]): GeoPoint[] {
  const lat = points.reduce((a, p) => a + p.lat, 0) / points.length
  const lon = points.reduce((a, p) => a + p.lon, 0) / points.length
  const angle = (p: GeoPoint) => Math.atan2(p.lat - lat, p.lon - lon)
  return [...points].sort((a, b) => angle(a) - angle(b))
}
