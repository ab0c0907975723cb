/**
 * @module The embedded record store: the seeds' tables as maps, with the same keys and orders.
 * Every operation completes synchronously inside its promise, so each is atomic.
 */
import type { Contact } from '../../src/domain/contact.ts'
import type { Group, Membership } from '../../src/domain/group.ts'
import type { Message } from '../../src/domain/message.ts'
import type { User } from '../../src/domain/user.ts'
import type {
  HistoryRange,
  InsertResult,
  MessageDraft,
  RecordKind,
  RecordKinds,
  RecordScanner,
  RecordStore,
} from '../../src/ports/record-store.ts'
import { insertEach } from './insert-each.ts'
import { type MemberList, memberList, withMember, withoutMember } from './member-list.ts'

interface Conversation {
  lastSequenceId: number
  /** Ascending by sequence id. */
  messages: Message[]
}

const byKey =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0

export class MemoryRecordStore implements RecordStore, RecordScanner {
  readonly name = 'memory'
  readonly #users = new Map<string, User>()
  readonly #groups = new Map<string, Group>()
  /** groupId → userId → membership, and the user-first mirror (the seeds' secondary index). */
  readonly #members = new Map<string, Map<string, Membership>>()
  readonly #groupsOf = new Map<string, Map<string, Membership>>()
  /**
   * Each group's members in user id order, as {@link members} and {@link memberIds} answer, made
   * when first asked and then replaced by a copy at each join or leave: a batch of messages asks
   * for every group it names, and sorting thousands of members for each was most of batch ingestion.
   */
  readonly #sortedMembers = new Map<string, MemberList>()
  readonly #contacts = new Map<string, Map<string, Contact>>()
  readonly #messages = new Map<string, Message>()
  readonly #conversations = new Map<string, Conversation>()

  async getUser(userId: string) {
    return this.#users.get(userId)
  }
  async getUsers(userIds: readonly string[]) {
    return [...new Set(userIds)].flatMap((id) => this.#users.get(id) ?? [])
  }
  async putUser(user: User) {
    this.#users.set(user.userId, user)
  }
  async deleteUser(userId: string) {
    return this.#users.delete(userId)
  }

  async getGroup(groupId: string) {
    return this.#groups.get(groupId)
  }
  async getGroups(groupIds: readonly string[]) {
    return [...new Set(groupIds)].flatMap((id) => this.#groups.get(id) ?? [])
  }
  async putGroup(group: Group) {
    this.#groups.set(group.groupId, group)
  }
  async deleteGroup(groupId: string) {
    for (const userId of this.#members.get(groupId)?.keys() ?? []) this.#groupsOf.get(userId)?.delete(groupId)
    this.#members.delete(groupId)
    this.#sortedMembers.delete(groupId)
    return this.#groups.delete(groupId)
  }

  async addMember(membership: Membership) {
    const { groupId, userId } = membership
    if (this.#members.get(groupId)?.has(userId)) return false
    nested(this.#members, groupId).set(userId, membership)
    nested(this.#groupsOf, userId).set(groupId, membership)
    const kept = this.#sortedMembers.get(groupId)
    if (kept) this.#sortedMembers.set(groupId, withMember(kept, membership))
    return true
  }
  async removeMember(groupId: string, userId: string) {
    this.#groupsOf.get(userId)?.delete(groupId)
    const kept = this.#sortedMembers.get(groupId)
    if (kept) this.#sortedMembers.set(groupId, withoutMember(kept, userId))
    return this.#members.get(groupId)?.delete(userId) ?? false
  }
  async getMembership(groupId: string, userId: string) {
    return this.#members.get(groupId)?.get(userId)
  }
  async members(groupId: string) {
    // A copy: the caller owns the array it is given.
    return this.#memberList(groupId).memberships.slice()
  }
  async memberIds(groupId: string) {
    return this.#memberList(groupId).ids
  }
  #memberList(groupId: string): MemberList {
    let list = this.#sortedMembers.get(groupId)
    if (!list) {
      list = memberList([...(this.#members.get(groupId)?.values() ?? [])].sort(byKey((m) => m.userId)))
      this.#sortedMembers.set(groupId, list)
    }
    return list
  }
  async groupsOf(userId: string) {
    return [...(this.#groupsOf.get(userId)?.values() ?? [])].sort(byKey((m) => m.groupId))
  }

  async putContacts(rows: readonly [Contact, Contact]) {
    for (const row of rows) nested(this.#contacts, row.userId).set(row.contactId, row)
  }
  async deleteContacts(userId: string, contactId: string) {
    const existed = this.#contacts.get(userId)?.delete(contactId) ?? false
    this.#contacts.get(contactId)?.delete(userId)
    return existed
  }
  async contactsOf(userId: string) {
    return [...(this.#contacts.get(userId)?.values() ?? [])].sort(byKey((c) => c.contactId))
  }

  async insertMessage(draft: MessageDraft): Promise<InsertResult> {
    const stored = this.#messages.get(draft.messageId)
    if (stored) return { message: stored, created: false }
    let conversation = this.#conversations.get(draft.conversationId)
    if (!conversation) {
      conversation = { lastSequenceId: 0, messages: [] }
      this.#conversations.set(draft.conversationId, conversation)
    }
    const message: Message = { ...draft, sequenceId: ++conversation.lastSequenceId }
    conversation.messages.push(message)
    this.#messages.set(message.messageId, message)
    return { message, created: true }
  }
  async getMessage(messageId: string) {
    return this.#messages.get(messageId)
  }
  async getMessages(messageIds: readonly string[]) {
    return [...new Set(messageIds)].flatMap((id) => this.#messages.get(id) ?? [])
  }
  insertMessages(drafts: readonly MessageDraft[]): Promise<InsertResult[]> {
    return insertEach(this, drafts)
  }
  async deleteMessage(messageId: string) {
    const message = this.#messages.get(messageId)
    if (!message) return undefined
    this.#messages.delete(messageId)
    const list = this.#conversations.get(message.conversationId)?.messages
    if (list) list.splice(indexAfter(list, message.sequenceId - 1), 1)
    return message
  }
  async history(conversationId: string, range: HistoryRange) {
    const list = this.#conversations.get(conversationId)?.messages ?? []
    const from = range.after === undefined ? 0 : indexAfter(list, range.after)
    const to = range.before === undefined ? list.length : indexAfter(list, range.before - 1)
    return range.direction === 'forward'
      ? list.slice(from, Math.min(to, from + range.limit))
      : list.slice(Math.max(from, to - range.limit), to).reverse()
  }

  async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
    const rows: RecordKinds[RecordKind][] =
      kind === 'users'
        ? [...this.#users.values()]
        : kind === 'groups'
          ? [...this.#groups.values()]
          : kind === 'contacts'
            ? [...this.#contacts.values()].flatMap((byContact) => [...byContact.values()])
            : // Oldest first, as the port asks of the embedded stores (then by id, as LMDB's key).
              [...this.#messages.values()].sort(
                (a, b) => a.sentAt - b.sentAt || (a.messageId < b.messageId ? -1 : 1),
              )
    for (let i = 0; i < rows.length; i += pageSize) yield rows.slice(i, i + pageSize) as RecordKinds[K][]
  }

  async counts(): Promise<Record<RecordKind, number>> {
    let contacts = 0
    for (const byContact of this.#contacts.values()) contacts += byContact.size
    return { users: this.#users.size, groups: this.#groups.size, contacts, messages: this.#messages.size }
  }

  async close() {}
}

function nested<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let inner = map.get(key)
  if (!inner) {
    inner = new Map()
    map.set(key, inner)
  }
  return inner
}

/** The index of the first message with a sequence id above `sequenceId` (binary search). */
function indexAfter(list: readonly Message[], sequenceId: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as Message).sequenceId <= sequenceId) lo = mid + 1
    else hi = mid
  }
  return lo
}
