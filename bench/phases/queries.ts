/**
 * @module The queries every engine answers: message searches (each run as a user who sees about
 * 1% of the messages and one who sees about 10%), and discovery (people nearby, tags, names).
 * Words were chosen by measured document frequency in the corpus: 今天 ≈ 4.8% of messages,
 * 哈尔滨 ≈ 0.04%, 火锅 and 今晚 ≈ 1.4% each, coffee ≈ 1%.
 */

import { districtCentre } from '../../fixtures/generator/vocabulary.ts'
import type { DiscoveryParams } from '../../src/services/discovery.ts'

export type MessageKind =
  | 'common-zh'
  | 'rare-zh'
  | 'two-terms'
  | 'english'
  | 'filter-only'
  | 'conversations'
  | 'four-facets'

export interface MessageQuery {
  kind: MessageKind
  label: string
  /** Absent for the filter-only query, which lists one conversation newest first. */
  q?: string
}

export const MESSAGE_QUERIES: readonly MessageQuery[] = [
  { kind: 'common-zh', label: 'common Chinese word (今天)', q: '今天' },
  { kind: 'rare-zh', label: 'rare Chinese word (哈尔滨)', q: '哈尔滨' },
  { kind: 'two-terms', label: 'two terms (火锅 今晚)', q: '火锅 今晚' },
  { kind: 'english', label: 'English word (coffee)', q: 'coffee' },
  { kind: 'filter-only', label: 'filter only: one conversation, newest first' },
]

/**
 * Issue 13's searches, beside the plain ones: chats grouped (one hit per conversation with its
 * count and newest match) and a message search counting all four facets over every match, both
 * for the common word, so they are read against `common-zh`.
 */
export const IM_QUERIES: readonly (MessageQuery & { kind: 'conversations' | 'four-facets' })[] = [
  { kind: 'conversations', label: 'conversation search (今天), grouped by chat', q: '今天' },
  { kind: 'four-facets', label: 'message search (今天) with four facets', q: '今天' },
]

export type Audience = '1%' | '10%'
export const AUDIENCES: readonly { audience: Audience; share: number }[] = [
  { audience: '1%', share: 0.01 },
  { audience: '10%', share: 0.1 },
]

export type DiscoveryKind = 'nearby-5km' | 'tag' | 'name-zh' | 'name-pinyin' | 'name-typo'

export interface DiscoveryQuery {
  kind: DiscoveryKind
  label: string
  index: 'users' | 'groups'
  params: DiscoveryParams
}

const WEST_LAKE = districtCentre('hangzhou', 0)
const centre = { lat: WEST_LAKE.lat, lon: WEST_LAKE.lon }

export const DISCOVERY_QUERIES: readonly DiscoveryQuery[] = [
  {
    kind: 'nearby-5km',
    label: 'people nearby (5 km, by distance)',
    index: 'users',
    params: {
      area: { kind: 'radius', center: centre, metres: 5000 },
      near: centre,
      sort: 'distance',
      limit: 20,
    },
  },
  { kind: 'tag', label: 'tag search (咖啡)', index: 'users', params: { tags: ['咖啡'], limit: 20 } },
  { kind: 'name-zh', label: 'name, Chinese (张伟)', index: 'users', params: { q: '张伟', limit: 20 } },
  {
    kind: 'name-pinyin',
    label: 'name, pinyin (zhangwei)',
    index: 'users',
    params: { q: 'zhangwei', limit: 20 },
  },
  {
    kind: 'name-typo',
    label: 'name with a typo (Jenifer Smith)',
    index: 'users',
    params: { q: 'Jenifer Smith', limit: 20 },
  },
]

export const PAGE = 20
