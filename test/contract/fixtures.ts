/**
 * @module Small hand-written corpora for the contract's example tests: the examples, in
 * Chinese, Japanese, Korean and English, and people and groups in three cities and two islands.
 */
import type { GeoPoint } from '../../src/domain/geo-point.ts'
import type { Message } from '../../src/domain/message.ts'
import type { Tag } from '../../src/domain/tag.ts'
import type { GroupDocument, MessageDocument, UserDocument } from '../../src/ports/documents.ts'
import { groupDocument, messageDocument, userDocument } from '../../src/services/documents.ts'

export const T0 = Date.UTC(2025, 0, 1)
const MINUTE = 60_000

/** A message with sensible defaults: sent by alice to alice and bob in a direct chat. */
export function message(
  messageId: string,
  content: string,
  over: Partial<Omit<Message, 'messageId' | 'content'>> = {},
): MessageDocument {
  return messageDocument({
    messageId,
    content,
    conversationId: 'dm-alice-bob',
    sequenceId: 1,
    senderId: 'alice',
    type: 'text',
    sentAt: T0,
    conversationType: 'single',
    recipients: ['alice', 'bob'],
    ...over,
  })
}

/** The examples and their neighbours: every text-rule test reads this corpus. */
export const TEXT_MESSAGES: MessageDocument[] = [
  message('m-shanghai', '我家在上海东边', { sequenceId: 1, sentAt: T0 + 1 * MINUTE }),
  message('m-moon', '海上生明月，天涯共此时', { sequenceId: 2, sentAt: T0 + 2 * MINUTE }),
  message('m-test', '测试一下新功能', { sequenceId: 3, sentAt: T0 + 3 * MINUTE }),
  message('m-jwt', '认证系统使用JWT令牌', { sequenceId: 4, sentAt: T0 + 4 * MINUTE }),
  message('m-pdf', '请帮我解析 PDF 文件', { sequenceId: 5, sentAt: T0 + 5 * MINUTE }),
  message('m-fox', 'The quick brown fox jumps over the lazy dog', { sequenceId: 6, sentAt: T0 + 6 * MINUTE }),
  message('m-kana', 'カタカナのテストです', { sequenceId: 7, sentAt: T0 + 7 * MINUTE }),
  message('m-hangul', '한국어 메시지 검색', { sequenceId: 8, sentAt: T0 + 8 * MINUTE }),
  message('m-fullwidth', 'ＨＥＬＬＯ　Ｗｏｒｌｄ　２０２５', { sequenceId: 9, sentAt: T0 + 9 * MINUTE }),
  message('m-mixed', '明天下午3点在Shanghai开会，带上laptop', { sequenceId: 10, sentAt: T0 + 10 * MINUTE }),
]

/**
 * A corpus for filters, sorts and permissions: two conversations, three people, three types, and
 * ties on `sentAt` that only `sequenceId` breaks.
 */
export const TEAM_MESSAGES: MessageDocument[] = [
  message('t1', '项目周会改到周三', {
    conversationId: 'g-team',
    conversationType: 'group',
    senderId: 'alice',
    recipients: ['alice', 'bob', 'carol'],
    sequenceId: 1,
    sentAt: T0,
  }),
  message('t2', '周会的会议纪要在这里', {
    conversationId: 'g-team',
    conversationType: 'group',
    senderId: 'bob',
    recipients: ['alice', 'bob', 'carol'],
    sequenceId: 2,
    sentAt: T0 + MINUTE,
    type: 'file',
  }),
  message('t3', '周会截图', {
    conversationId: 'g-team',
    conversationType: 'group',
    senderId: 'carol',
    recipients: ['alice', 'bob', 'carol'],
    sequenceId: 3,
    sentAt: T0 + MINUTE,
    type: 'image',
  }),
  message('t4', '周会 weekly sync moved to Wednesday', {
    conversationId: 'g-team',
    conversationType: 'group',
    senderId: 'alice',
    recipients: ['alice', 'bob', 'carol'],
    sequenceId: 4,
    sentAt: T0 + 2 * MINUTE,
  }),
  message('t5', '周会我来不了', {
    conversationId: 'dm-alice-bob',
    senderId: 'bob',
    recipients: ['alice', 'bob'],
    sequenceId: 1,
    sentAt: T0 + 2 * MINUTE,
  }),
  message('t6', '周会之前一起吃饭？', {
    conversationId: 'dm-bob-dave',
    senderId: 'dave',
    recipients: ['bob', 'dave'],
    sequenceId: 1,
    sentAt: T0 + 3 * MINUTE,
  }),
  message('t7', '周会 周会 周会，别忘了周会', {
    conversationId: 'g-team',
    conversationType: 'group',
    senderId: 'bob',
    recipients: ['alice', 'bob', 'carol'],
    sequenceId: 5,
    sentAt: T0 + 4 * MINUTE,
  }),
]

export const PLACES = {
  shanghai: { lat: 31.2304, lon: 121.4737 },
  pudong: { lat: 31.2215, lon: 121.5447 },
  hangzhou: { lat: 30.2741, lon: 120.1551 },
  beijing: { lat: 39.9042, lon: 116.4074 },
  suva: { lat: -18.1248, lon: 178.4501 },
  apia: { lat: -13.8333, lon: -171.7667 },
} satisfies Record<string, GeoPoint>

function user(
  userId: string,
  name: string,
  tags: Tag[] = [],
  location?: GeoPoint,
  discoverable = true,
): UserDocument {
  return userDocument({ userId, name, tags, location, discoverable, profile: {} })
}

export const USERS: UserDocument[] = [
  user(
    'u-zhangwei',
    '张伟',
    [
      { name: 'Golf', weight: 3 },
      { name: '摄影', weight: 2 },
    ],
    PLACES.shanghai,
  ),
  user('u-zhangsan', '张三', [{ name: 'golf', weight: 1 }], PLACES.hangzhou),
  user('u-wangwei', '王伟', [{ name: '摄影', weight: 5 }], PLACES.beijing),
  user('u-zengxm', '曾小明', [{ name: 'hiking', weight: 1 }]),
  user(
    'u-william',
    'William Li',
    [
      { name: 'golf', weight: 2 },
      { name: 'Hiking', weight: 1.5 },
    ],
    PLACES.pudong,
  ),
  user('u-weizhang', 'Wei Zhang', [{ name: '读书', weight: 1 }], PLACES.suva),
  user('u-zhangweiwei', '张伟伟', [{ name: 'golf', weight: 4 }], PLACES.shanghai, false),
  user('u-xiaozhangwei', '小张伟', [], PLACES.apia),
]

function group(
  groupId: string,
  name: string,
  over: Partial<Omit<GroupDocument, 'groupId' | 'name'>> & { tags?: Tag[]; location?: GeoPoint } = {},
): GroupDocument {
  return groupDocument({
    groupId,
    name,
    description: over.description ?? '',
    tags: over.tags ?? [],
    location: over.location,
    visibility: over.visibility ?? 'public',
    ownerId: over.ownerId ?? 'u-zhangwei',
    createdAt: over.createdAt ?? T0,
    memberCount: over.memberCount ?? 3,
  })
}

export const GROUPS: GroupDocument[] = [
  group('g-photo', '上海摄影俱乐部', {
    description: '每周末在外滩拍照，欢迎新手',
    tags: [{ name: '摄影', weight: 3 }],
    location: PLACES.shanghai,
    memberCount: 120,
  }),
  group('g-golf', '杭州高尔夫', {
    description: 'Weekend golf in Hangzhou',
    tags: [
      { name: 'golf', weight: 5 },
      { name: '摄影', weight: 1 },
    ],
    location: PLACES.hangzhou,
    visibility: 'private',
    memberCount: 12,
  }),
  group('g-lovers', 'Golf Lovers', {
    description: 'Golf lovers of Shanghai and beyond',
    tags: [{ name: 'golf', weight: 2 }],
    location: PLACES.pudong,
    memberCount: 40,
  }),
  group('g-books', '读书会', {
    description: '每月读一本书',
    tags: [{ name: '读书', weight: 1 }],
    memberCount: 8,
  }),
]
