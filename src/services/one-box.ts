/**
 * @module The one search box, as IM clients show it: the caller's contacts, the groups they belong
 * to, and their chats with matching messages, each section its first few hits, its total and the
 * cursor of its full search. Names match the box's text terms; the chats section takes the whole
 * box, operators included.
 */
import type { ConversationSearch, ConversationSearchResult } from './conversation-search.ts'
import type { ContactHit, Directory } from './directory.ts'
import type { Discovery, DiscoveryResult, GroupHit } from './discovery.ts'
import { prepareMessageSearch } from './message-search.ts'

export interface OneBoxParams {
  q: string
  /** Hits per section. */
  limit: number
  tz?: string | undefined
}

export interface Section<H> {
  hits: H[]
  total: number
  nextCursor?: string | undefined
}

export interface OneBoxResult {
  contacts: Section<ContactHit>
  groups: Section<GroupHit>
  conversations: ConversationSearchResult
}

const EMPTY = { hits: [], total: 0 }

export class OneBox {
  constructor(
    private readonly directory: Directory,
    private readonly discovery: Discovery,
    private readonly conversations: ConversationSearch,
  ) {}

  async search(callerId: string, params: OneBoxParams): Promise<OneBoxResult> {
    const { syntax } = prepareMessageSearch(callerId, params)
    // Names match the text terms: `from:u1 预算` looks for people and groups named 预算.
    const names = syntax.terms.map((t) => t.text).join(' ')
    const [contacts, groups, conversations] = await Promise.all([
      names ? this.directory.myContacts(callerId, { q: names, limit: params.limit }) : EMPTY,
      names
        ? this.discovery.searchGroups(callerId, { q: names, memberOnly: true, limit: params.limit })
        : (EMPTY as DiscoveryResult<GroupHit>),
      this.conversations.search(callerId, { q: params.q, tz: params.tz, limit: params.limit }),
    ])
    return { contacts, groups, conversations }
  }
}
