/**
 * @module The durable embedded record store: the seeds' tables as LMDB databases with the same
 * ordered keys (`[conversationId, sequenceId]` like the store table's primary key, `[groupId,
 * userId]` and its user-first mirror like the relation table and its index). LMDB was chosen for
 * ordered keys, ACID transactions, crash safety without a recovery step, and a prebuilt binary in
 * the npm package; every write is acknowledged only after it is committed and flushed to disk.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { constants } from 'node:os'
import { type Database, open, type RootDatabase } from 'lmdb'
import type { Contact } from '../../src/domain/contact.ts'
import type { Group, Membership } from '../../src/domain/group.ts'
import type { Message } from '../../src/domain/message.ts'
import type { User } from '../../src/domain/user.ts'
import type { Change, ChangeFeed } from '../../src/ports/change-feed.ts'
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
import { StorageFullError } from '../../src/ports/record-store.ts'
import { type MemberList, memberList, withMember, withoutMember } from './member-list.ts'
import { RecipientLists } from './recipient-lists.ts'

type Key = string | [string, string] | [string, number] | [number, string]
type ContactRow = Omit<Contact, 'userId' | 'contactId'>
/**
 * A message row: its recipients inline, or (a long list) the key of the list stored once in
 * `recipient_lists` (see recipient-lists.ts). The same field either way, so that a read puts the
 * list in its place without changing the object's shape.
 */
type MessageRow = Omit<Message, 'recipients'> & { recipients: string[] | string }

/** How long `close()` waits for lmdb-js after a refused commit. */
const CLOSE_AFTER_REFUSAL_MS = 1000

/** Message times indexed per write transaction when a data dir written before `by_time` is opened. */
const TIME_INDEX_CHUNK = 50_000

/** Keys above every sequence id of a conversation, for range ends. */
const MAX_SEQ = Number.MAX_SAFE_INTEGER

/** Changes removed per write transaction when pruning (one transaction for millions would hold them all dirty). */
const PRUNE_CHUNK = 50_000

/** Groups whose member lists are kept (see {@link LmdbRecordStore.members}); all are dropped past it. */
const CACHED_GROUPS = 4096

export class LmdbRecordStore implements RecordStore, RecordScanner, JobStore, ChangeFeed {
  readonly name = 'lmdb'
  readonly #root: RootDatabase
  readonly #users: Database<User, string>
  readonly #groups: Database<Group, string>
  readonly #members: Database<number, [string, string]>
  readonly #groupsOf: Database<number, [string, string]>
  readonly #contacts: Database<ContactRow, [string, string]>
  readonly #messages: Database<MessageRow, string>
  readonly #recipientLists: RecipientLists
  readonly #timeline: Database<string, [string, number]>
  /**
   * `[sentAt, messageId]`: the messages in time order, which a scan follows (see
   * {@link LmdbRecordStore.scan}). Written with the message in one transaction.
   */
  readonly #byTime: Database<true, [number, string]>
  readonly #lastSequence: Database<number, string>
  readonly #jobs: Database<ReindexJob, string>
  /** The change feed ({@link ChangeFeed}): sequence number → the record changed, written in its transaction. */
  readonly #changes: Database<[RecordKind, string], number>
  /** The store's identity (`storeId`), made at its creation. */
  readonly #meta: Database<string, string>
  /** The last sequence number handed out: transactions run one at a time, in this order. */
  #seq: number
  readonly storeId: string
  /** A commit was refused and no write has committed since (see {@link LmdbRecordStore.close}). */
  #refused = false
  /**
   * Member lists as committed, by group: a batch of messages asks for every group it names, and
   * reading thousands of keys for each was a large part of durable batch ingestion. Only this
   * process writes the data dir; a membership write drops its group's list once committed.
   */
  readonly #memberLists = new Map<string, MemberList>()
  /** Membership writes in flight: while any is, lists are read from the database, not kept. */
  #membershipWrites = 0

  constructor(path: string) {
    mkdirSync(path, { recursive: true })
    // Every write is an explicit transaction, so event-turn batching adds nothing; with it on,
    // lmdb-js leaves a batch promise nobody holds, and a commit the disk refuses (full disk)
    // rejects it unhandled, which stops the process. `noSubdir: false`: lmdb-js takes a path whose
    // last part has a dot (`./data.v2`) for a file name; the data dir is always a directory holding
    // `data.mdb` and `lock.mdb`, the layout every data dir already has. `maxDbs`: lmdb-js allows
    // 12 named databases by default, and the store has 13 (a per-process setting, not on disk).
    this.#root = open({ path, compression: true, eventTurnBatching: false, noSubdir: false, maxDbs: 32 })
    this.#users = this.#root.openDB({ name: 'users' })
    this.#groups = this.#root.openDB({ name: 'groups' })
    this.#members = this.#root.openDB({ name: 'group_members' })
    this.#groupsOf = this.#root.openDB({ name: 'member_groups' })
    this.#contacts = this.#root.openDB({ name: 'contacts' })
    this.#messages = this.#root.openDB({ name: 'messages' })
    this.#recipientLists = new RecipientLists(this.#root.openDB({ name: 'recipient_lists' }))
    this.#timeline = this.#root.openDB({ name: 'timeline' })
    this.#byTime = this.#root.openDB({ name: 'by_time' })
    this.#lastSequence = this.#root.openDB({ name: 'last_sequence' })
    this.#jobs = this.#root.openDB({ name: 'reindex_jobs' })
    this.#changes = this.#root.openDB({ name: 'changes' })
    this.#meta = this.#root.openDB({ name: 'meta' })
    this.#indexTimes()
    this.#seq = this.lastChange()
    this.storeId = this.#meta.get('storeId') ?? this.#createId()
  }

  #createId(): string {
    const id = randomUUID()
    this.#root.transactionSync(() => this.#meta.putSync('storeId', id))
    return id
  }

  /** Called inside a write transaction: the change commits, or is rolled back, with the record. */
  #changed(kind: RecordKind, key: string): void {
    this.#changes.putSync(++this.#seq, [kind, key])
  }

  lastChange(): number {
    for (const key of this.#changes.getKeys({ reverse: true, limit: 1 })) return key
    return 0
  }

  oldestChange(): number | undefined {
    for (const key of this.#changes.getKeys({ limit: 1 })) return key
    return undefined
  }

  async *changesSince(seq: number, pageSize: number): AsyncIterable<Change[]> {
    let page: Change[] = []
    for (const { key, value } of this.#changes.getRange({ start: seq + 1 })) {
      page.push({ seq: key, kind: value[0], key: value[1] })
      if (page.length === pageSize) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  /** Keeps the last change whatever `upTo` says: it is how the sequence survives a restart. */
  async pruneChanges(upTo: number): Promise<void> {
    const end = Math.min(upTo, this.lastChange() - 1) + 1
    for (;;) {
      const keys = [...this.#changes.getKeys({ end, limit: PRUNE_CHUNK })]
      if (keys.length === 0) return
      await this.#write(() => {
        for (const key of keys) this.#changes.removeSync(key)
      })
    }
  }

  /**
   * A data dir written before `by_time` existed, or whose indexing of it was cut short, has fewer
   * (or, cut short during a delete, other) entries than messages: index them all again, in chunks
   * (one transaction for millions would hold them all dirty). Runs before the store is used;
   * entries are derived from the messages, so a crash midway only means doing it again.
   */
  #indexTimes(): void {
    if (entries(this.#byTime) === entries(this.#messages)) return
    this.#root.transactionSync(() => this.#byTime.clearSync())
    // Keys only: a chunk of whole messages (144 recipients each on average) would be a large heap.
    let chunk: [number, string][] = []
    const flush = () => {
      this.#root.transactionSync(() => {
        for (const key of chunk) this.#byTime.putSync(key, true)
      })
      chunk = []
    }
    for (const { value } of this.#messages.getRange()) {
      chunk.push([value.sentAt, value.messageId])
      if (chunk.length === TIME_INDEX_CHUNK) flush()
    }
    flush()
  }

  /**
   * Run `fn` (synchronous writes only) in one write transaction; resolve once it is committed and
   * on disk. A commit the disk refuses rejects with {@link StorageFullError}: LMDB wrote no meta
   * page for it, so the store stays as it was before the transaction.
   */
  async #write<T>(fn: () => T): Promise<T> {
    try {
      let checked: readonly (readonly string[])[] = []
      // A child transaction: a throw in `fn` rolls back what it wrote. lmdb-js runs the plain
      // kind in a batch with others and keeps the writes made before a throw (a batch half stored).
      const result = await this.#root.childTransaction(() => {
        const value = fn()
        checked = this.#recipientLists.takeChecked()
        return value
      })
      await this.#root.flushed
      this.#recipientLists.committed(checked)
      this.#refused = false
      return result
    } catch (error) {
      this.#recipientLists.forgetUncommitted()
      const refused = await storageError(error)
      if (refused instanceof StorageFullError) this.#refused = true
      throw refused
    }
  }

  async getUser(userId: string) {
    return this.#users.get(userId)
  }
  async getUsers(userIds: readonly string[]) {
    return [...new Set(userIds)].flatMap((id) => this.#users.get(id) ?? [])
  }
  async putUser(user: User) {
    await this.#write(() => {
      this.#users.putSync(user.userId, user)
      this.#changed('users', user.userId)
    })
  }
  async deleteUser(userId: string) {
    return this.#write(() => {
      const removed = this.#users.removeSync(userId)
      if (removed) this.#changed('users', userId)
      return removed
    })
  }

  async getGroup(groupId: string) {
    return this.#groups.get(groupId)
  }
  async getGroups(groupIds: readonly string[]) {
    return [...new Set(groupIds)].flatMap((id) => this.#groups.get(id) ?? [])
  }
  async putGroup(group: Group) {
    await this.#write(() => {
      this.#groups.putSync(group.groupId, group)
      this.#changed('groups', group.groupId)
    })
  }
  async deleteGroup(groupId: string) {
    return this.#membershipWrite(groupId, () => {
      for (const { key } of this.#members.getRange(prefix(groupId))) {
        this.#members.removeSync(key)
        this.#groupsOf.removeSync([key[1], groupId])
      }
      const removed = this.#groups.removeSync(groupId)
      if (removed) this.#changed('groups', groupId)
      return removed
    })
  }

  async addMember({ groupId, userId, joinedAt }: Membership) {
    return this.#membershipWrite(
      groupId,
      () => {
        if (this.#members.get([groupId, userId]) !== undefined) return false
        this.#members.putSync([groupId, userId], joinedAt)
        this.#groupsOf.putSync([userId, groupId], joinedAt)
        return true
      },
      (list, added) => (added ? withMember(list, { groupId, userId, joinedAt }) : list),
    )
  }
  async removeMember(groupId: string, userId: string) {
    return this.#membershipWrite(
      groupId,
      () => {
        this.#groupsOf.removeSync([userId, groupId])
        return this.#members.removeSync([groupId, userId])
      },
      (list, removed) => (removed ? withoutMember(list, userId) : list),
    )
  }
  async getMembership(groupId: string, userId: string) {
    const joinedAt = this.#members.get([groupId, userId])
    return joinedAt === undefined ? undefined : { groupId, userId, joinedAt }
  }
  /**
   * {@link #write} for a change of `groupId`'s members. Once it is committed, its kept list becomes
   * `update(list, result)` when this was the only membership write in flight (the lists then
   * follow the commits one at a time, in order); otherwise, or when it failed, the list is dropped
   * and read again when next asked for. Re-reading a group of thousands after each join and leave
   * was a tenth of a durable batch's time at HTTP ingest.
   */
  async #membershipWrite<T>(
    groupId: string,
    fn: () => T,
    update?: (list: MemberList, result: T) => MemberList,
  ): Promise<T> {
    this.#membershipWrites++
    let updated: MemberList | undefined
    try {
      const result = await this.#write(fn)
      const kept = this.#memberLists.get(groupId)
      if (update && kept && this.#membershipWrites === 1) updated = update(kept, result)
      return result
    } finally {
      this.#membershipWrites--
      if (updated) this.#memberLists.set(groupId, updated)
      else this.#memberLists.delete(groupId)
    }
  }

  async members(groupId: string): Promise<Membership[]> {
    // A copy: the caller owns the array it is given.
    return this.#memberList(groupId).memberships.slice()
  }
  async memberIds(groupId: string): Promise<readonly string[]> {
    return this.#memberList(groupId).ids
  }
  #memberList(groupId: string): MemberList {
    const kept = this.#memberLists.get(groupId)
    if (kept) return kept
    const read: Membership[] = []
    for (const { key, value } of this.#members.getRange(prefix(groupId)))
      read.push({ groupId, userId: key[1], joinedAt: value })
    const list = memberList(read)
    if (this.#membershipWrites === 0) {
      if (this.#memberLists.size >= CACHED_GROUPS) this.#memberLists.clear()
      this.#memberLists.set(groupId, list)
    }
    return list
  }
  async groupsOf(userId: string): Promise<Membership[]> {
    return this.#groupsOf
      .getRange(prefix(userId))
      .map(({ key, value }) => ({ groupId: key[1], userId, joinedAt: value })).asArray
  }

  async putContacts(rows: readonly [Contact, Contact]) {
    await this.#write(() => {
      for (const { userId, contactId, ...row } of rows) {
        this.#contacts.putSync([userId, contactId], row)
        this.#changed('contacts', `${userId}/${contactId}`)
      }
    })
  }
  async deleteContacts(userId: string, contactId: string) {
    return this.#write(() => {
      const theirs = this.#contacts.removeSync([contactId, userId])
      const mine = this.#contacts.removeSync([userId, contactId])
      if (theirs) this.#changed('contacts', `${contactId}/${userId}`)
      if (mine) this.#changed('contacts', `${userId}/${contactId}`)
      return mine
    })
  }
  async contactsOf(userId: string): Promise<Contact[]> {
    return this.#contacts
      .getRange(prefix(userId))
      .map(({ key, value }) => ({ userId, contactId: key[1], ...value })).asArray
  }

  async insertMessage(draft: MessageDraft): Promise<InsertResult> {
    // Check and insert in one write transaction: concurrent inserts of one id serialise here.
    return this.#write(() => this.#insert(draft))
  }

  /**
   * Inside a write transaction: reads there see the transaction's own writes, so a batch's
   * repeated id is a replay. With `last`, the conversations' last sequence ids are taken from and
   * left in it, for the caller to write once per conversation before the transaction ends.
   */
  #insert(draft: MessageDraft, last?: Map<string, number>): InsertResult {
    const stored = this.#message(draft.messageId)
    if (stored) return { message: stored, created: false }
    const { conversationId } = draft
    const sequenceId = (last?.get(conversationId) ?? this.#lastSequence.get(conversationId) ?? 0) + 1
    const message: Message = { ...draft, sequenceId }
    if (last) last.set(conversationId, sequenceId)
    else this.#lastSequence.putSync(conversationId, sequenceId)
    const list = this.#recipientLists.share(message.recipients)
    this.#messages.putSync(message.messageId, list === undefined ? message : { ...message, recipients: list })
    this.#timeline.putSync([message.conversationId, sequenceId], message.messageId)
    this.#byTime.putSync([message.sentAt, message.messageId], true)
    this.#changed('messages', message.messageId)
    return { message, created: true }
  }
  async getMessage(messageId: string) {
    return this.#message(messageId)
  }
  async getMessages(messageIds: readonly string[]) {
    return [...new Set(messageIds)].flatMap((id) => this.#message(id) ?? [])
  }
  /** The message stored under `messageId`, its recipient list put in place when the row names one. */
  #message(messageId: string): Message | undefined {
    const row = this.#messages.get(messageId)
    if (row !== undefined && typeof row.recipients === 'string')
      row.recipients = this.#recipientLists.get(row.recipients) as string[]
    return row as Message | undefined
  }
  /** One write transaction for the batch: one commit and one flush to disk, however many messages. */
  async insertMessages(drafts: readonly MessageDraft[]): Promise<InsertResult[]> {
    if (drafts.length === 0) return []
    return this.#write(() => {
      // A batch names a conversation many times: its last sequence id is written once.
      const last = new Map<string, number>()
      const results = drafts.map((draft) => this.#insert(draft, last))
      for (const [conversationId, sequenceId] of last) this.#lastSequence.putSync(conversationId, sequenceId)
      return results
    })
  }
  async deleteMessage(messageId: string) {
    return this.#write(() => {
      const message = this.#message(messageId)
      if (!message) return undefined
      this.#messages.removeSync(messageId)
      this.#timeline.removeSync([message.conversationId, message.sequenceId])
      this.#byTime.removeSync([message.sentAt, message.messageId])
      this.#changed('messages', messageId)
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
      const message = this.#message(value)
      if (message) messages.push(message)
    }
    return messages
  }

  /**
   * Users, groups and contacts in key order; messages oldest first (by `sentAt`, then id), each
   * read by id along `by_time`, as {@link RecordScanner.scan} asks.
   */
  async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
    const rows: Iterable<RecordKinds[RecordKind] | undefined> =
      kind === 'users'
        ? this.#users.getRange().map(({ value }) => value)
        : kind === 'groups'
          ? this.#groups.getRange().map(({ value }) => value)
          : kind === 'contacts'
            ? this.#contacts
                .getRange()
                .map(({ key, value }) => ({ userId: key[0], contactId: key[1], ...value }))
            : this.#byTime.getKeys().map(([, messageId]) => this.#message(messageId))
    let page: RecordKinds[K][] = []
    for (const row of rows) {
      // A time entry is written and removed with its message; skipped all the same if alone.
      if (row === undefined) continue
      page.push(row as RecordKinds[K])
      if (page.length === pageSize) {
        yield page
        page = []
      }
    }
    if (page.length > 0) yield page
  }

  async counts(): Promise<Record<RecordKind, number>> {
    return {
      users: entries(this.#users),
      groups: entries(this.#groups),
      contacts: entries(this.#contacts),
      messages: entries(this.#messages),
    }
  }

  async putJob(job: ReindexJob) {
    await this.#write(() => this.#jobs.putSync(job.jobId, job))
  }
  async getJob(jobId: string) {
    return this.#jobs.get(jobId)
  }
  async listJobs() {
    return [...this.#jobs.getRange()].map(({ value }) => value).sort((a, b) => b.startedAt - a.startedAt)
  }

  /**
   * Writes LMDB's compacting copy of the environment into the directory `target`, from one read
   * transaction of this process: the one that owns the data dir (see data-dir-owner.ts for why no
   * other process opens it to copy).
   */
  backup(target: string): Promise<void> {
    return this.#root.backup(target, true)
  }

  /**
   * Closes the environment. After a refused commit lmdb-js never settles that commit's flush, and
   * `close()` waits for it forever; everything acknowledged is already on disk then, so the wait
   * is cut short and the process may exit (LMDB needs no recovery on the next open).
   */
  async close() {
    const closed = this.#root.close()
    if (!this.#refused) return closed
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_AFTER_REFUSAL_MS))])
  }
}

/** The entries of `db`, from LMDB's own statistics (`mdb_stat`): constant time, whatever the size. */
function entries(db: Database<unknown, Key>): number {
  return (db.getStats() as { entryCount: number }).entryCount
}

/** Every key starting with `first`: `[first]` sorts before `[first, anything]`. */
function prefix(first: string): { start: Key; end: Key } {
  return { start: [first] as unknown as Key, end: [`${first}\u0000`] as unknown as Key }
}

/**
 * Why the disk refused a write: ENOSPC (full), EDQUOT (quota), EFBIG (file size limit), EIO (LMDB
 * reports a short write, which is how a filling disk usually shows, as EIO) and MDB_MAP_FULL.
 */
const DISK_REFUSALS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file size limit reached',
  EIO: 'I/O error (a short write: the disk is full or failing)',
}
const MDB_MAP_FULL = -30792

/** lmdb-js reports the errno number, Node's fs the name. */
function diskRefusal(code: unknown): string | undefined {
  if (code === MDB_MAP_FULL) return 'the LMDB map is full'
  const errno = constants.errno as Record<string, number | undefined>
  const name = typeof code === 'number' ? Object.keys(DISK_REFUSALS).find((n) => errno[n] === code) : code
  return typeof name === 'string' ? DISK_REFUSALS[name] : undefined
}

/**
 * lmdb-js rejects a failed commit with "Commit failed" and the cause in a second promise,
 * `commitError`; that promise must be handled here or it becomes an unhandled rejection that
 * would stop the process.
 */
async function storageError(error: unknown): Promise<unknown> {
  const commit = (error as { commitError?: Promise<never> } | null)?.commitError
  const cause = commit ? await commit.then(undefined, (e: unknown) => e) : error
  const reason = diskRefusal((cause as { code?: unknown } | null)?.code)
  if (!reason) return error
  return new StorageFullError(`[im-search] [lmdb] the data directory refused a write: ${reason}`, { cause })
}
