/**
 * @module Reads of single records and of the caller's own lists, with the privacy rules: a user
 * who opted out is visible only to themselves, a private group only to its members, and nobody's
 * coordinates leave the service except to their owner.
 */
import type { Group, Membership } from '../domain/group.ts'
import type { User } from '../domain/user.ts'
import type { RecordStore } from '../ports/record-store.ts'
import type { SearchBackend } from '../ports/search-backend.ts'
import type { Query } from '../query/dsl.ts'
import type { Sort } from '../query/sort.ts'
import type { CursorCodec } from './cursor.ts'
import { nameQuery } from './discovery-query.ts'
import { notFound } from './errors.ts'
import { runPage } from './paging.ts'

export type PublicUser = Omit<User, 'location'> & { location?: User['location'] }

export interface ContactHit {
  userId: string
  name: string
  nickname?: string | undefined
  addedAt: number
  score: number
}

export interface ContactSearchParams {
  q?: string | undefined
  /** Default: relevance with `q`, else `added` (newest first). */
  sort?: 'added' | 'name' | undefined
  limit: number
  cursor?: string | undefined
}

const CONTACT_SORTS: Record<'added' | 'name' | 'relevance', Sort[]> = {
  added: [{ field: { name: 'addedAt', order: 'desc' } }],
  name: [{ field: { name: 'sortName', order: 'asc' } }],
  relevance: [{ score: { order: 'desc' } }, { field: { name: 'sortName', order: 'asc' } }],
}

export class Directory {
  constructor(
    private readonly store: RecordStore,
    private readonly backend: SearchBackend,
    private readonly cursors: CursorCodec,
  ) {}

  async user(callerId: string, userId: string): Promise<PublicUser> {
    const user = await this.store.getUser(userId)
    const self = callerId === userId
    // 404 rather than 403: refusing would confirm that the hidden user exists.
    if (!user || (!user.discoverable && !self)) throw notFound(`no user ${userId}`)
    if (self) return user
    const { location: _hidden, ...rest } = user
    return rest
  }

  async group(callerId: string, groupId: string): Promise<Group> {
    return this.#visibleGroup(callerId, groupId)
  }

  /** Members; to a non-member of a public group, users who opted out of discovery are not listed. */
  async members(callerId: string, groupId: string): Promise<Membership[]> {
    await this.#visibleGroup(callerId, groupId)
    const members = await this.store.members(groupId)
    if (members.some((m) => m.userId === callerId)) return members
    const shown = await Promise.all(
      members.map(async (m) =>
        (await this.store.getUser(m.userId))?.discoverable === false ? undefined : m,
      ),
    )
    return shown.filter((m) => m !== undefined)
  }

  /** The caller's groups, newest join first. */
  async myGroups(callerId: string): Promise<{ groupId: string; name: string; joinedAt: number }[]> {
    const memberships = await this.store.groupsOf(callerId)
    const rows = await Promise.all(
      memberships.map(async (m) => {
        const group = await this.store.getGroup(m.groupId)
        return group ? { groupId: m.groupId, name: group.name, joinedAt: m.joinedAt } : undefined
      }),
    )
    return rows
      .filter((r) => r !== undefined)
      .sort((a, b) => b.joinedAt - a.joinedAt || (a.groupId < b.groupId ? -1 : 1))
  }

  /** The caller's contacts, matched on the contact's name or the caller's nickname for them. */
  async myContacts(callerId: string, params: ContactSearchParams) {
    const q = params.q?.trim() ?? ''
    const must: Query[] = []
    if (q.length > 0) {
      const byName = nameQuery(q, 'name')
      const byNickname = nameQuery(q, 'nickname')
      if (!byName || !byNickname) return { hits: [], total: 0 }
      must.push({ bool: { should: [byName, byNickname], minimum_should_match: 1 } })
    }
    const sort = CONTACT_SORTS[params.sort ?? (q.length > 0 ? 'relevance' : 'added')]
    const query: Query = { bool: { must, filter: [{ term: { field: 'userId', value: callerId } }] } }
    const { limit, cursor, ...search } = params
    const page = await runPage(this.backend, this.cursors, callerId, 'contacts', search, {
      query,
      sort,
      limit,
      cursor,
    })
    return {
      hits: page.hits.map(
        ({ document: d, score }): ContactHit => ({
          userId: d.contactId,
          name: d.name,
          nickname: d.nickname,
          addedAt: d.addedAt,
          score,
        }),
      ),
      total: page.total,
      nextCursor: page.nextCursor,
    }
  }

  async #visibleGroup(callerId: string, groupId: string): Promise<Group> {
    const group = await this.store.getGroup(groupId)
    if (!group) throw notFound(`no group ${groupId}`)
    if (group.visibility === 'private' && !(await this.store.getMembership(groupId, callerId)))
      throw notFound(`no group ${groupId}`)
    return group
  }
}
