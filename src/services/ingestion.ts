/**
 * @module Ingestion: writes records to the store first, then to the search indexes. A message is
 * stored once by its id; its recipients are fixed at send time (the Timeline write fan-out model):
 * leaving a group keeps what was received, joining does not reveal what came before.
 */
import type { Contact, ContactInput } from '../domain/contact.ts'
import type { Group, GroupInput, Membership } from '../domain/group.ts'
import type { Message, MessageInput } from '../domain/message.ts'
import type { User, UserInput } from '../domain/user.ts'
import type { RecordStore } from '../ports/record-store.ts'
import { BackendUnavailableError, type SearchBackend } from '../ports/search-backend.ts'
import { contactKey } from './documents.ts'
import { conflict, forbidden, invalidInput, notFound, unavailable } from './errors.ts'
import { IndexQueue } from './index-queue.ts'

export interface IngestionDeps {
  store: RecordStore
  backend: SearchBackend
  /** Where index updates go. @default a queue of its own over `store` and `backend` */
  queue?: IndexQueue
  /** Epoch ms; injectable for tests. */
  now?: () => number
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

export class Ingestion {
  readonly #store: RecordStore
  /** Every change reaches the indexes through the queue, after the store write. */
  readonly #queue: IndexQueue
  readonly #now: () => number

  constructor(deps: IngestionDeps) {
    this.#store = deps.store
    this.#queue = deps.queue ?? new IndexQueue({ store: deps.store, backend: deps.backend })
    this.#now = deps.now ?? Date.now
  }

  async putUser(userId: string, input: UserInput): Promise<{ user: User; created: boolean }> {
    const existed = await this.#store.getUser(userId)
    const user: User = { userId, ...input }
    await this.#store.putUser(user)
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
  }

  /** Removes the user, their friendships and their group memberships; messages stay with their recipients. */
  async deleteUser(userId: string): Promise<void> {
    if (!(await this.#store.getUser(userId))) throw notFound(`no user ${userId}`)
    for (const contact of await this.#store.contactsOf(userId))
      await this.deleteContact(userId, contact.contactId)
    for (const membership of await this.#store.groupsOf(userId)) {
      const group = await this.#store.getGroup(membership.groupId)
      if (group?.ownerId !== userId) await this.removeMember(membership.groupId, userId)
    }
    await this.#store.deleteUser(userId)
    await this.#queue.submit('users', [userId])
  }

  async putGroup(groupId: string, input: GroupInput): Promise<{ group: Group; created: boolean }> {
    const existing = await this.#store.getGroup(groupId)
    const now = this.#now()
    await this.#store.addMember({ groupId, userId: input.ownerId, joinedAt: now })
    const memberCount = (await this.#store.members(groupId)).length
    const group: Group = { groupId, ...input, createdAt: existing?.createdAt ?? now, memberCount }
    await this.#store.putGroup(group)
    await this.#queue.submit('groups', [groupId])
    return { group, created: !existing }
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (!(await this.#store.deleteGroup(groupId))) throw notFound(`no group ${groupId}`)
    await this.#queue.submit('groups', [groupId])
  }

  /** `joined` is false when the user was already a member; `membership` is the stored one. */
  async addMember(groupId: string, userId: string): Promise<{ membership: Membership; joined: boolean }> {
    const group = await this.#requireGroup(groupId)
    const joined = await this.#store.addMember({ groupId, userId, joinedAt: this.#now() })
    if (joined) await this.#recount(group)
    const membership = await this.#store.getMembership(groupId, userId)
    if (!membership) throw notFound(`${userId} is not a member of ${groupId}`)
    return { membership, joined }
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    const group = await this.#requireGroup(groupId)
    if (group.ownerId === userId)
      throw conflict('the owner cannot leave the group; give it another owner first')
    if (!(await this.#store.removeMember(groupId, userId)))
      throw notFound(`${userId} is not a member of ${groupId}`)
    await this.#recount(group)
  }

  /** Resolves with the first user's row. */
  async putContact(userId: string, contactId: string, input: ContactInput): Promise<Contact> {
    if (userId === contactId)
      throw invalidInput('a user is not their own contact', [{ path: 'contactId', message: 'equals userId' }])
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
  }

  async deleteContact(userId: string, contactId: string): Promise<void> {
    // Never stored (putContact refuses it); a store need not handle a pair naming one row twice.
    if (userId === contactId) throw notFound(`${contactId} is not a contact of ${userId}`)
    if (!(await this.#store.deleteContacts(userId, contactId)))
      throw notFound(`${contactId} is not a contact of ${userId}`)
    await this.#queue.submit('contacts', [contactKey(userId, contactId), contactKey(contactId, userId)])
  }

  /**
   * Stores a message once by its id and indexes it. When a backend stays unavailable the answer
   * is a 503 that says the message is not acknowledged and that resubmitting it is safe: it may
   * have been stored already, and the same id never makes a second copy.
   */
  async postMessage(input: MessageInput): Promise<MessageOutcome> {
    try {
      return await this.#postMessage(input)
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error
      throw unavailable(
        `message ${input.messageId} is not acknowledged: the backend is unavailable; ` +
          'resubmit it with the same messageId later, which never stores it twice',
        error,
      )
    }
  }

  async #postMessage(input: MessageInput): Promise<MessageOutcome> {
    const existing = await this.#store.getMessage(input.messageId)
    if (existing) return this.#replay(existing, input)
    const group = await this.#store.getGroup(input.conversationId)
    let recipients: string[]
    if (group) {
      const members = (await this.#store.members(group.groupId)).map((m) => m.userId)
      if (!members.includes(input.senderId))
        throw forbidden(`${input.senderId} is not a member of ${group.groupId} and cannot post to it`)
      recipients = members
    } else {
      if (!input.recipients)
        throw invalidInput('a direct message names its recipients', [
          { path: 'recipients', message: `required: ${input.conversationId} is not a known group` },
        ])
      recipients = [...new Set([input.senderId, ...input.recipients])]
    }
    const { message, created } = await this.#store.insertMessage({
      messageId: input.messageId,
      conversationId: input.conversationId,
      senderId: input.senderId,
      type: input.type,
      content: input.content,
      sentAt: input.sentAt ?? this.#now(),
      conversationType: group ? 'group' : 'single',
      recipients,
      ...extrasOf(input),
    })
    // Another request stored the same id between our read and our write: same rules as a replay.
    if (!created) return this.#replay(message, input)
    await this.#queue.submit('messages', [message.messageId])
    return { receipt: receiptOf(message), created: true }
  }

  async recallMessage(messageId: string): Promise<void> {
    const removed = await this.#store.deleteMessage(messageId)
    if (!removed) throw notFound(`no message ${messageId}`)
    await this.#queue.submit('messages', [messageId])
  }

  /** The same id again: the same message answers with the stored receipt, another one is a conflict. */
  async #replay(stored: Message, input: MessageInput): Promise<MessageOutcome> {
    const same =
      stored.conversationId === input.conversationId &&
      stored.senderId === input.senderId &&
      stored.type === input.type &&
      stored.content === input.content &&
      (input.sentAt === undefined || stored.sentAt === input.sentAt) &&
      JSON.stringify(extrasOf(stored)) === JSON.stringify(extrasOf(input))
    if (!same) throw conflict(`message ${input.messageId} was already stored with different content`)
    // Re-indexing is idempotent and heals an index write that failed after the store write.
    await this.#queue.submit('messages', [stored.messageId])
    return { receipt: receiptOf(stored), created: false }
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
