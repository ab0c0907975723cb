/**
 * @module The record-store port: the system of record, after the seeds' tables (messages by
 * conversation and sequence, message ids for idempotency, users, groups, memberships both ways,
 * mirrored contacts). Search indexes are derived from it and can be rebuilt from it.
 */
import type { Contact } from '../domain/contact.ts'
import type { Group, Membership } from '../domain/group.ts'
import type { Message } from '../domain/message.ts'
import type { User } from '../domain/user.ts'

/** A message before the store assigns its sequence id. */
export type MessageDraft = Omit<Message, 'sequenceId'>

export interface InsertResult {
  message: Message
  /** false when a message with this id was already stored: `message` is the stored one. */
  created: boolean
}

export interface HistoryRange {
  /** Only sequence ids below this one (exclusive). */
  before?: number | undefined
  /** Only sequence ids above this one (exclusive). */
  after?: number | undefined
  /** `backward`: newest first (the seeds' history scan); `forward`: oldest first. */
  direction: 'backward' | 'forward'
  limit: number
}

export interface RecordStore {
  readonly name: string

  getUser(userId: string): Promise<User | undefined>
  /**
   * The users that exist among `userIds`, in no particular order: one read for a page of search
   * hits' senders (a remote store answers it in one batch request per 100 ids).
   */
  getUsers(userIds: readonly string[]): Promise<User[]>
  putUser(user: User): Promise<void>
  /** Resolves false when there was no such user. */
  deleteUser(userId: string): Promise<boolean>

  getGroup(groupId: string): Promise<Group | undefined>
  /** The groups that exist among `groupIds`, in no particular order (one batch read per 100 ids remotely). */
  getGroups(groupIds: readonly string[]): Promise<Group[]>
  putGroup(group: Group): Promise<void>
  deleteGroup(groupId: string): Promise<boolean>

  /** Resolves false when the user was already a member (the stored membership is kept). */
  addMember(membership: Membership): Promise<boolean>
  removeMember(groupId: string, userId: string): Promise<boolean>
  getMembership(groupId: string, userId: string): Promise<Membership | undefined>
  /** Members of a group, in user id order (the relation table's primary key order). */
  members(groupId: string): Promise<Membership[]>
  /**
   * The user ids of {@link members}, in its order, frozen. A store may answer the same array for
   * as long as the group's members are unchanged, so a caller may keep what it derives from the
   * list by the array's identity.
   */
  memberIds(groupId: string): Promise<readonly string[]>
  /** Groups of a user (the relation table's user-first index). */
  groupsOf(userId: string): Promise<Membership[]>

  /** Store both mirrored rows of a friendship. */
  putContacts(rows: readonly [Contact, Contact]): Promise<void>
  /** Remove both rows; resolves false when there was no friendship. */
  deleteContacts(userId: string, contactId: string): Promise<boolean>
  contactsOf(userId: string): Promise<Contact[]>

  /**
   * Store a message once: atomically, either the id is new and the message gets the next
   * sequence id of its conversation, or the stored message is returned unchanged.
   */
  insertMessage(draft: MessageDraft): Promise<InsertResult>
  /**
   * {@link insertMessage} for many drafts, as if inserted one after another in order (so the new
   * messages of one conversation get increasing sequence ids in draft order, and an id repeated
   * in the batch answers the stored message, not created), with the same guarantee per draft:
   * each id is stored once, whatever fails and is retried. Answers one result per draft, in order. A remote store writes the whole batch in
   * a few batch requests; when it rejects, some drafts may be stored and resubmitting is safe.
   */
  insertMessages(drafts: readonly MessageDraft[]): Promise<InsertResult[]>
  getMessage(messageId: string): Promise<Message | undefined>
  /** The stored messages among `messageIds`, in no particular order (a few batch reads remotely). */
  getMessages(messageIds: readonly string[]): Promise<Message[]>
  /** Remove a message (recall); resolves with what was removed. */
  deleteMessage(messageId: string): Promise<Message | undefined>
  /** A conversation's messages in sequence order within the range. */
  history(conversationId: string, range: HistoryRange): Promise<Message[]>

  close(): Promise<void>
}

/** The record kinds a search index is built from. */
export interface RecordKinds {
  users: User
  groups: Group
  /** Every row of the friendship table: two per friendship. */
  contacts: Contact
  messages: Message
}
export type RecordKind = keyof RecordKinds

/**
 * Reading every record of a kind, in pages, for building a search index from the store: at
 * start-up of the embedded backend and by a reindex.
 */
export interface RecordScanner {
  /**
   * Every record of `kind`, in pages. The embedded stores give messages oldest first (by
   * `sentAt`): the embedded engine numbers documents in the order they come, and its newest-first
   * listing stops early only while that order is time order (`adapters/memory/newest-up-to.ts`),
   * so an index built at start keeps that property. Other stores may give any order.
   */
  scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]>
  /**
   * How many records of each kind the store holds, from its own statistics, without reading
   * them: what sizes an in-memory index before it is built (`services/memory-budget.ts`). Stores
   * that cannot count cheaply leave it out.
   */
  counts?(): Promise<Record<RecordKind, number>>
}

/**
 * The store's disk refused a write (full, over quota, or failing): the write was not made durable
 * and is not applied; what was acknowledged before is intact and reads go on. The core maps it
 * to 507 Insufficient Storage, not 503: it lasts until an operator frees space, so clients
 * should not be told to simply retry in a second.
 */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError'
}
