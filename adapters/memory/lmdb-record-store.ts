/**
 * @module The durable embedded record store: the seeds' tables as LMDB databases with the same
 * ordered keys (`[conversationId, sequenceId]` like the store table's primary key, `[groupId,
 * userId]` and its user-first mirror like the relation table and its index). LMDB was chosen for
 * ordered keys, ACID transactions, crash safety without a recovery step, and a prebuilt binary in
 * the npm package; every write is acknowledged only after it is committed and flushed to disk.
 */
import { mkdirSync } from 'node:fs'
import { type Database, open, type RootDatabase } from 'lmdb'
import type { Contact } from '../../src/domain/contact.ts'
import type { Group, Membership } from '../../src/domain/group.ts'
import type { Message } from '../../src/domain/message.ts'
import type { User } from '../../src/domain/user.ts'
import type { JobStore, ReindexJob } from '../../src/ports/job-store.ts'
import type {
  HistoryRange,
  InsertResult,
  MessageDraft,
  RecordKind,
  RecordKinds,
  RecordScanner,
  RecordStore,
} from '../../src/ports/record-store.ts'

type Key = string | [string, string] | [string, number]
type ContactRow = Omit<Contact, 'userId' | 'contactId'>

/** Keys above every sequence id of a conversation, for range ends. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER

export class LmdbRecordStore implements RecordStore, RecordScanner, JobStore {
  readonly name = 'lmdb'
  readonly #root: RootDatabase
  readonly #users: Database<User, string>
  readonly #groups: Database<Group, string>
  readonly #members: Database<number, [string, string]>
  readonly #groupsOf: Database<number, [string, string]>
  readonly #contacts: Database<ContactRow, [string, string]>
  readonly #messages: Database<Message, string>
  readonly #timeline: Database<string, [string, number]>
  readonly #lastSequence: Database<number, string>
  readonly #jobs: Database<ReindexJob, string>

  constructor(path: string) {
    mkdirSync(path, { recursive: true })
    this.#root = open({ path, compression: true })
    this.#users = this.#root.openDB({ name: 'users' })
    this.#groups = this.#root.openDB({ name: 'groups' })
    this.#members = this.#root.openDB({ name: 'group_members' })
    this.#groupsOf = this.#root.openDB({ name: 'member_groups' })
    this.#contacts = this.#root.openDB({ name: 'contacts' })
    this.#messages = this.#root.openDB({ name: 'messages' })
    this.#timeline = this.#root.openDB({ name: 'timeline' })
    this.#lastSequence = this.#root.openDB({ name: 'last_sequence' })
    this.#jobs = this.#root.openDB({ name: 'reindex_jobs' })
  }

  /** Run `fn` in one write transaction; resolve once it is committed and on disk. */
  async #write<T>(fn: () => T): Promise<T> {
    const result = await this.#root.transaction(fn)
    await this.#root.flushed
    return result
  }

  async getUser(userId: string) {
    return this.#users.get(userId)
  }
  async putUser(user: User) {
    await this.#write(() => this.#users.put(user.userId, user))
  }
  async deleteUser(userId: string) {
    return this.#write(() => this.#users.removeSync(userId))
  }

  async getGroup(groupId: string) {
    return this.#groups.get(groupId)
  }
  async putGroup(group: Group) {
    await this.#write(() => this.#groups.put(group.groupId, group))
  }
  async deleteGroup(groupId: string) {
    return this.#write(() => {
      for (const { key } of this.#members.getRange(prefix(groupId))) {
        this.#members.removeSync(key)
        this.#groupsOf.removeSync([key[1], groupId])
      }
      return this.#groups.removeSync(groupId)
    })
  }

  async addMember({ groupId, userId, joinedAt }: Membership) {
    return this.#write(() => {
      if (this.#members.get([groupId, userId]) !== undefined) return false
      this.#members.putSync([groupId, userId], joinedAt)
      this.#groupsOf.putSync([userId, groupId], joinedAt)
      return true
    })
  }
  async removeMember(groupId: string, userId: string) {
    return this.#write(() => {
      this.#groupsOf.removeSync([userId, groupId])
      return this.#members.removeSync([groupId, userId])
    })
  }
  async getMembership(groupId: string, userId: string) {
    const joinedAt = this.#members.get([groupId, userId])
    return joinedAt === undefined ? undefined : { groupId, userId, joinedAt }
  }
  async members(groupId: string): Promise<Membership[]> {
    return this.#members
      .getRange(prefix(groupId))
      .map(({ key, value }) => ({ groupId, userId: key[1], joinedAt: value })).asArray
  }
  async groupsOf(userId: string): Promise<Membership[]> {
    return this.#groupsOf
      .getRange(prefix(userId))
      .map(({ key, value }) => ({ groupId: key[1], userId, joinedAt: value })).asArray
  }

  async putContacts(rows: readonly [Contact, Contact]) {
    await this.#write(() => {
      for (const { userId, contactId, ...row } of rows) this.#contacts.putSync([userId, contactId], row)
    })
  }
  async deleteContacts(userId: string, contactId: string) {
    return this.#write(() => {
      this.#contacts.removeSync([contactId, userId])
      return this.#contacts.removeSync([userId, contactId])
    })
  }
  async contactsOf(userId: string): Promise<Contact[]> {
    return this.#contacts
      .getRange(prefix(userId))
      .map(({ key, value }) => ({ userId, contactId: key[1], ...value })).asArray
  }

  async insertMessage(draft: MessageDraft): Promise<InsertResult> {
    // Check and insert in one write transaction: concurrent inserts of one id serialise here.
    return this.#write(() => {
      const stored = this.#messages.get(draft.messageId)
      if (stored) return { message: stored, created: false }
      const sequenceId = (this.#lastSequence.get(draft.conversationId) ?? 0) + 1
      const message: Message = { ...draft, sequenceId }
      this.#lastSequence.putSync(draft.conversationId, sequenceId)
      this.#messages.putSync(message.messageId, message)
      this.#timeline.putSync([message.conversationId, sequenceId], message.messageId)
      return { message, created: true }
    })
  }
  async getMessage(messageId: string) {
    return this.#messages.get(messageId)
  }
  async deleteMessage(messageId: string) {
    return this.#write(() => {
      const message = this.#messages.get(messageId)
      if (!message) return undefined
      this.#messages.removeSync(messageId)
      this.#timeline.removeSync([message.conversationId, message.sequenceId])
      return message
    })
  }
  async history(conversationId: string, range: HistoryRange): Promise<Message[]> {
    const low: [string, number] = [conversationId, range.after === undefined ? 0 : range.after + 1]
    const high: [string, number] = [conversationId, range.before === undefined ? MAX_SEQ : range.before]
    const backward = range.direction === 'backward'
    const ids = this.#timeline.getRange({
      // Reverse ranges run from the exclusive high key down; `start` is inclusive, so step below it.
      start: backward ? [conversationId, high[1] - 1] : low,
      end: backward ? [conversationId, low[1] - 1] : high,
      reverse: backward,
      limit: range.limit,
    })
    const messages: Message[] = []
    for (const { value } of ids) {
      const message = this.#messages.get(value)
      if (message) messages.push(message)
    }
    return messages
  }

  async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
    const rows: Iterable<RecordKinds[RecordKind]> =
      kind === 'users'
        ? this.#users.getRange().map(({ value }) => value)
        : kind === 'groups'
          ? this.#groups.getRange().map(({ value }) => value)
          : kind === 'contacts'
            ? this.#contacts
                .getRange()
                .map(({ key, value }) => ({ userId: key[0], contactId: key[1], ...value }))
            : this.#messages.getRange().map(({ value }) => value)
    let page: RecordKinds[K][] = []
    for (const row of rows) {
      page.push(row as RecordKinds[K])
      if (page.length === pageSize) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  async putJob(job: ReindexJob) {
    await this.#write(() => this.#jobs.put(job.jobId, job))
  }
  async getJob(jobId: string) {
    return this.#jobs.get(jobId)
  }
  async listJobs() {
    return [...this.#jobs.getRange()].map(({ value }) => value).sort((a, b) => b.startedAt - a.startedAt)
  }

  async close() {
    await this.#root.close()
  }
}

/** Every key starting with `first`: `[first]` sorts before `[first, anything]`. */
function prefix(first: string): { start: Key; end: Key } {
  return { start: [first] as unknown as Key, end: [`${first}\u0000`] as unknown as Key }
}
