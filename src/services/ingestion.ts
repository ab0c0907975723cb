/**
 * @module Ingestion: writes records to the store first, then to the search indexes. A message is
 * stored once by its id; its recipients are fixed at send time (the Timeline write fan-out model):
 * leaving a group keeps what was received, joining does not reveal what came before.
 */
import type { Contact, ContactInput } from '../domain/contact.ts'
import type { Group, GroupInput, Membership } from '../domain/group.ts'
import type { Message, MessageInput } from '../domain/message.ts'
import type { User, UserInput } from '../domain/user.ts'
import { contactKey } from '../ports/documents.ts'
import type { MessageDraft, RecordStore } from '../ports/record-store.ts'
import { BackendUnavailableError, type SearchBackend } from '../ports/search-backend.ts'
import {
  conflict,
  forbidden,
  invalidInput,
  notFound,
  type Refusal,
  refusalOf,
  ServiceError,
  unavailable,
} from './errors.ts'
import { IndexQueue } from './index-queue.ts'
import type { CachedPeople } from './people.ts'
import { WriteBarrier } from './write-barrier.ts'

export interface IngestionDeps {
  store: RecordStore
  backend: SearchBackend
  /** Where index updates go. @default a queue of its own over `store` and `backend` */
  queue?: IndexQueue
  /** Epoch ms; injectable for tests. */
  now?: () => number
  /** Told of every user this process writes or deletes, so that cached names show it at once. */
  names?: Pick<CachedPeople, 'forget'> | undefined
  /** Counts every write while in flight, for index snapshots. @default one of its own */
  writes?: WriteBarrier | undefined
}

export interface MessageReceipt {
  messageId: string
  conversationId: string
  sequenceId: number
}

export interface MessageOutcome {
  receipt: MessageReceipt
  /** false when the message id was already stored with the same content. */
  created: boolean
}

/**
 * One item of a batch: what it would get alone, an outcome or the refusal (4xx) it would raise,
 * the refusal as data (the result may cross threads).
 */
export type BatchItem = { outcome: MessageOutcome } | { refusal: Refusal }

export class Ingestion {
  readonly #store: RecordStore
  /** Every change reaches the indexes through the queue, after the store write. */
  readonly #queue: IndexQueue
  readonly #now: () => number
  readonly #names: Pick<CachedPeople, 'forget'> | undefined
  /** Each public write is tracked from its first read to its last index task (see {@link WriteBarrier}). */
  readonly #writes: WriteBarrier
  /** Member lists the store answered → their ids as a set (see {@link #members}). */
  readonly #memberSets = new WeakMap<readonly string[], ReadonlySet<string>>()

  constructor(deps: IngestionDeps) {
    this.#names = deps.names
    this.#store = deps.store
    this.#queue = deps.queue ?? new IndexQueue({ store: deps.store, backend: deps.backend })
    this.#now = deps.now ?? Date.now
    this.#writes = deps.writes ?? new WriteBarrier()
  }

  putUser(userId: string, input: UserInput): Promise<{ user: User; created: boolean }> {
    return this.#writes.track(async () => {
      const existed = await this.#store.getUser(userId)
      const user: User = { userId, ...input }
      await this.#store.putUser(user)
      this.#names?.forget(userId)
      await this.#queue.submit('users', [userId])
      if (existed?.name !== user.name) {
        // Contact lists show the contact's current name: re-index the rows that name this user.
        const contacts = await this.#store.contactsOf(userId)
        await this.#queue.submit(
          'contacts',
          contacts.map((c) => contactKey(c.contactId, userId)),
        )
      }
      return { user, created: !existed }
    })
  }

  /** Removes the user, their friendships and their group memberships; messages stay with their recipients. */
  deleteUser(userId: string): Promise<void> {
    return this.#writes.track(async () => {
      if (!(await this.#store.getUser(userId))) throw notFound(`no user ${userId}`)
      for (const contact of await this.#store.contactsOf(userId))
        await this.deleteContact(userId, contact.contactId)
      for (const membership of await this.#store.groupsOf(userId)) {
        const group = await this.#store.getGroup(membership.groupId)
        if (group?.ownerId !== userId) await this.removeMember(membership.groupId, userId)
      }
      await this.#store.deleteUser(userId)
      this.#names?.forget(userId)
      await this.#queue.submit('users', [userId])
    })
  }

  putGroup(groupId: string, input: GroupInput): Promise<{ group: Group; created: boolean }> {
    return this.#writes.track(async () => {
      const existing = await this.#store.getGroup(groupId)
      const now = this.#now()
      await this.#store.addMember({ groupId, userId: input.ownerId, joinedAt: now })
      const memberCount = (await this.#store.members(groupId)).length
      const group: Group = { groupId, ...input, createdAt: existing?.createdAt ?? now, memberCount }
      await this.#store.putGroup(group)
      await this.#queue.submit('groups', [groupId])
      return { group, created: !existing }
    })
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.#writes.track(async () => {
      if (!(await this.#store.deleteGroup(groupId))) throw notFound(`no group ${groupId}`)
      await this.#queue.submit('groups', [groupId])
    })
  }

  /** `joined` is false when the user was already a member; `membership` is the stored one. */
  addMember(groupId: string, userId: string): Promise<{ membership: Membership; joined: boolean }> {
    return this.#writes.track(async () => {
      const group = await this.#requireGroup(groupId)
      const joined = await this.#store.addMember({ groupId, userId, joinedAt: this.#now() })
      if (joined) await this.#recount(group)
      const membership = await this.#store.getMembership(groupId, userId)
      if (!membership) throw notFound(`${userId} is not a member of ${groupId}`)
      return { membership, joined }
    })
  }

  removeMember(groupId: string, userId: string): Promise<void> {
    return this.#writes.track(async () => {
      const group = await this.#requireGroup(groupId)
      if (group.ownerId === userId)
        throw conflict('the owner cannot leave the group; give it another owner first')
      if (!(await this.#store.removeMember(groupId, userId)))
        throw notFound(`${userId} is not a member of ${groupId}`)
      await this.#recount(group)
    })
  }

  /** Resolves with the first user's row. */
  putContact(userId: string, contactId: string, input: ContactInput): Promise<Contact> {
    return this.#writes.track(async () => {
      if (userId === contactId)
        throw invalidInput('a user is not their own contact', [
          { path: 'contactId', message: 'equals userId' },
        ])
      const mine = (await this.#store.contactsOf(userId)).find((c) => c.contactId === contactId)
      const theirs = (await this.#store.contactsOf(contactId)).find((c) => c.contactId === userId)
      const addedAt = mine?.addedAt ?? this.#now()
      const nickname = input.nickname ?? mine?.nickname
      const rows: [Contact, Contact] = [
        { userId, contactId, addedAt, ...(nickname ? { nickname } : {}) },
        {
          userId: contactId,
          contactId: userId,
          addedAt,
          ...(theirs?.nickname ? { nickname: theirs.nickname } : {}),
        },
      ]
      await this.#store.putContacts(rows)
      await this.#queue.submit('contacts', [contactKey(userId, contactId), contactKey(contactId, userId)])
      return rows[0]
    })
  }

  deleteContact(userId: string, contactId: string): Promise<void> {
    return this.#writes.track(async () => {
      // Never stored (putContact refuses it); a store need not handle a pair naming one row twice.
      if (userId === contactId) throw notFound(`${contactId} is not a contact of ${userId}`)
      if (!(await this.#store.deleteContacts(userId, contactId)))
        throw notFound(`${contactId} is not a contact of ${userId}`)
      await this.#queue.submit('contacts', [contactKey(userId, contactId), contactKey(contactId, userId)])
    })
  }

  /**
   * Stores a message once by its id and indexes it. When a backend stays unavailable the answer
   * is a 503 that says the message is not acknowledged and that resubmitting it is safe: it may
   * have been stored already, and the same id never makes a second copy.
   */
  postMessage(input: MessageInput): Promise<MessageOutcome> {
    return this.#writes.track(() =>
      unacknowledgedIfUnavailable(
        `message ${input.messageId} is`,
        'resubmit it with the same messageId later, which never stores it twice',
        () => this.#postMessage(input),
      ),
    )
  }

  /**
   * {@link postMessage} for many messages, with the same rules per item, as if posted one after
   * another in order (the same id again within the batch is a replay of the first), in a few reads
   * and one store write for the whole batch. An item's own refusal (403, 409, 400) is its result;
   * a backend that stays unavailable fails the whole batch with a 503, and resubmitting all of it
   * is safe.
   */
  postMessages(inputs: readonly MessageInput[]): Promise<BatchItem[]> {
    return this.#writes.track(() =>
      unacknowledgedIfUnavailable(
        'the batch is',
        'resubmit it whole later: the same messageIds never store a message twice',
        () => this.#postMessages(inputs),
      ),
    )
  }

  async #postMessages(inputs: readonly MessageInput[]): Promise<BatchItem[]> {
    const existing = new Map(
      (await this.#store.getMessages(inputs.map((i) => i.messageId))).map((m) => [m.messageId, m]),
    )
    const fresh = inputs.filter((i) => !existing.has(i.messageId))
    const groups = new Map(
      (await this.#store.getGroups(fresh.map((i) => i.conversationId))).map((g) => [g.groupId, g]),
    )
    const members = new Map<string, GroupMembers>()
    for (const groupId of new Set(fresh.map((i) => i.conversationId).filter((id) => groups.has(id))))
      members.set(groupId, await this.#members(groupId))
    // The first acceptable item of each new id is drafted; later items with its id replay it.
    const drafts: MessageDraft[] = []
    const firstOf = new Map<string, number>()
    const checked = inputs.map((input) => {
      if (existing.has(input.messageId) || firstOf.has(input.messageId)) return undefined
      try {
        drafts.push(this.#draft(input, groups.get(input.conversationId), members.get(input.conversationId)))
        firstOf.set(input.messageId, drafts.length - 1)
        return 'drafted'
      } catch (error) {
        if (error instanceof ServiceError) return error
        throw error
      }
    })
    const inserted = await this.#store.insertMessages(drafts)
    const stored = new Map(existing)
    for (const { message } of inserted) stored.set(message.messageId, message)
    const items = inputs.map((input, at): BatchItem => {
      const state = checked[at]
      if (state instanceof ServiceError) return { refusal: refusalOf(state) }
      const draftAt = firstOf.get(input.messageId)
      const result = state === 'drafted' && draftAt !== undefined ? inserted[draftAt] : undefined
      if (result?.created) return { outcome: { receipt: receiptOf(result.message), created: true } }
      const message = stored.get(input.messageId) as Message
      return sameMessage(message, input)
        ? { outcome: { receipt: receiptOf(message), created: false } }
        : { refusal: refusalOf(differentContent(input)) }
    })
    // Stored, replayed or not: re-indexing is idempotent and heals an earlier failed index write.
    await this.#queue.submit('messages', [...stored.keys()])
    return items
  }

  async #postMessage(input: MessageInput): Promise<MessageOutcome> {
    const existing = await this.#store.getMessage(input.messageId)
    if (existing) return this.#replay(existing, input)
    const group = await this.#store.getGroup(input.conversationId)
    const members = group && (await this.#members(group.groupId))
    const { message, created } = await this.#store.insertMessage(this.#draft(input, group, members))
    // Another request stored the same id between our read and our write: same rules as a replay.
    if (!created) return this.#replay(message, input)
    await this.#queue.submit('messages', [message.messageId])
    return { receipt: receiptOf(message), created: true }
  }

  /**
   * The message to store for `input`: in a known `group` (with its `members` now) the sender must
   * be a member and the recipients are the members; otherwise the recipients are named.
   */
  #draft(input: MessageInput, group: Group | undefined, members: GroupMembers | undefined): MessageDraft {
    let recipients: string[]
    if (group) {
      if (!members?.has.has(input.senderId))
        throw forbidden(`${input.senderId} is not a member of ${group.groupId} and cannot post to it`)
      // Frozen and shared by the group's messages until its members change; never mutated.
      recipients = members.ids as string[]
    } else {
      if (!input.recipients)
        throw invalidInput('a direct message names its recipients', [
          { path: 'recipients', message: `required: ${input.conversationId} is not a known group` },
        ])
      recipients = [...new Set([input.senderId, ...input.recipients])]
    }
    return {
      messageId: input.messageId,
      conversationId: input.conversationId,
      senderId: input.senderId,
      type: input.type,
      content: input.content,
      sentAt: input.sentAt ?? this.#now(),
      conversationType: group ? 'group' : 'single',
      recipients,
      ...extrasOf(input),
    }
  }

  recallMessage(messageId: string): Promise<void> {
    return this.#writes.track(async () => {
      const removed = await this.#store.deleteMessage(messageId)
      if (!removed) throw notFound(`no message ${messageId}`)
      await this.#queue.submit('messages', [messageId])
    })
  }

  /** The same id again: the same message answers with the stored receipt, another one is a conflict. */
  async #replay(stored: Message, input: MessageInput): Promise<MessageOutcome> {
    if (!sameMessage(stored, input)) throw differentContent(input)
    // Re-indexing is idempotent and heals an index write that failed after the store write.
    await this.#queue.submit('messages', [stored.messageId])
    return { receipt: receiptOf(stored), created: false }
  }

  /**
   * The group's members now: one list for all its messages (the store answers the same list until
   * the members change), and a set to check senders, made once per list.
   */
  async #members(groupId: string): Promise<GroupMembers> {
    const ids = await this.#store.memberIds(groupId)
    let has = this.#memberSets.get(ids)
    if (!has) {
      has = new Set(ids)
      this.#memberSets.set(ids, has)
    }
    return { ids, has }
  }

  async #requireGroup(groupId: string): Promise<Group> {
    const group = await this.#store.getGroup(groupId)
    if (!group) throw notFound(`no group ${groupId}`)
    return group
  }

  async #recount(group: Group): Promise<void> {
    const updated = { ...group, memberCount: (await this.#store.members(group.groupId)).length }
    await this.#store.putGroup(updated)
    await this.#queue.submit('groups', [group.groupId])
  }
}

/** A group's member ids in the store's order (a message's recipients), and the same as a set. */
interface GroupMembers {
  ids: readonly string[]
  has: ReadonlySet<string>
}

/** Whether `input` is the message stored under its id (`sentAt` only when given). */
function sameMessage(stored: Message, input: MessageInput): boolean {
  return (
    stored.conversationId === input.conversationId &&
    stored.senderId === input.senderId &&
    stored.type === input.type &&
    stored.content === input.content &&
    (input.sentAt === undefined || stored.sentAt === input.sentAt) &&
    JSON.stringify(extrasOf(stored)) === JSON.stringify(extrasOf(input))
  )
}

const differentContent = (input: MessageInput) =>
  conflict(`message ${input.messageId} was already stored with different content`)

/**
 * Runs a message write; a backend that stays unavailable becomes a 503 saying that nothing is
 * acknowledged and that resubmitting with the same ids is safe (they never store twice).
 */
async function unacknowledgedIfUnavailable<T>(
  what: string,
  resubmit: string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write()
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error
    throw unavailable(`${what} not acknowledged: the backend is unavailable; ${resubmit}`, error)
  }
}

/**
 * A message's mentions and attachments as stored: each only when present (mentions deduplicated
 * in the order given, `mentionAll` only when true), so rows written before they existed and
 * messages without them look alike.
 */
function extrasOf(m: Pick<Message, 'mentions' | 'mentionAll' | 'attachments'>): MessageExtras {
  const mentions = [...new Set(m.mentions ?? [])]
  return {
    ...(mentions.length > 0 ? { mentions } : {}),
    ...(m.mentionAll ? { mentionAll: true } : {}),
    ...(m.attachments && m.attachments.length > 0 ? { attachments: m.attachments } : {}),
  }
}

type MessageExtras = Pick<Message, 'mentions' | 'mentionAll' | 'attachments'>

function receiptOf(message: Message): MessageReceipt {
  return {
    messageId: message.messageId,
    conversationId: message.conversationId,
    sequenceId: message.sequenceId,
  }
}
