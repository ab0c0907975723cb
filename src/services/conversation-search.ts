/**
 * @module Chats grouped: the message search's matches, one hit per conversation with its number
 * of matches and its newest match, newest conversation first, as IM clients list "7 related
 * messages" per chat. The backend groups and counts (never the core over every match), under the
 * same permission filter, so a count never includes a message the caller may not see.
 */
import type { ConversationType } from '../domain/message.ts'
import type { MessageDocument } from '../ports/documents.ts'
import type { RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import type { CursorCodec } from './cursor.ts'
import {
  MESSAGE_SORTS,
  type MessageHit,
  type MessageSearchParams,
  prepareMessageSearch,
  toMessageHit,
} from './message-search.ts'
import { runGroupedPage } from './paging.ts'
import type { People } from './people.ts'

export type ConversationSearchParams = Omit<MessageSearchParams, 'sort' | 'facets'>

export interface ConversationHit {
  conversationId: string
  conversationType: ConversationType
  /**
   * The group's name, or for a direct chat the other participant's (the caller's own in a chat
   * with themselves); null when that group or person no longer exists, or is a group the caller
   * may no longer see (a private group they left).
   */
  title: string | null
  /** Matching messages in the conversation that the caller may see. */
  matches: number
  /** The newest of them. */
  latest: MessageHit
}

export interface ConversationSearchResult {
  hits: ConversationHit[]
  total: number
  nextCursor?: string | undefined
}

export class ConversationSearch {
  constructor(
    private readonly backend: SearchBackend,
    private readonly cursors: CursorCodec,
    private readonly store: RecordStore,
    private readonly people: People,
  ) {}

  async search(callerId: string, params: ConversationSearchParams): Promise<ConversationSearchResult> {
    const { syntax, query } = prepareMessageSearch(callerId, params)
    if (!query) return { hits: [], total: 0 }
    const { limit, cursor, ...search } = params
    const page = await runGroupedPage(this.backend, this.cursors, callerId, 'messages', search, {
      query,
      field: 'conversationId',
      sort: MESSAGE_SORTS.newest,
      limit,
      cursor,
      checked: true,
    })
    const latest = page.groups.map((g) => g.top.document)
    const names = await this.people.names([
      ...latest.map((m) => m.senderId),
      ...latest.filter((m) => m.conversationType === 'single').map((m) => otherParticipant(callerId, m)),
    ])
    const hits = await Promise.all(
      page.groups.map(
        async ({ count, top }): Promise<ConversationHit> => ({
          conversationId: top.document.conversationId,
          conversationType: top.document.conversationType,
          title: await this.#title(callerId, top.document, names),
          matches: count,
          latest: toMessageHit(top.document, top.score, syntax.terms, names),
        }),
      ),
    )
    return { hits, total: page.total, nextCursor: page.nextCursor }
  }

  async #title(
    callerId: string,
    message: MessageDocument,
    names: ReadonlyMap<string, string>,
  ): Promise<string | null> {
    if (message.conversationType === 'single') return names.get(otherParticipant(callerId, message)) ?? null
    const group = await this.store.getGroup(message.conversationId)
    if (!group) return null
    const visible =
      group.visibility === 'public' || (await this.store.getMembership(group.groupId, callerId)) !== undefined
    return visible ? group.name : null
  }
}

/**
 * The other participant of a direct chat, as the caller sees it: the first recipient of its
 * newest matching message other than the caller (recipients are in id order), or the caller
 * when they are alone in it.
 */
export function otherParticipant(callerId: string, message: MessageDocument): string {
  return message.recipients.find((id) => id !== callerId) ?? callerId
}
