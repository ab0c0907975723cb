/**
 * @module The record store on Tablestore: users, groups (the seeds' timeline meta table),
 * memberships (relation table plus its user-first global secondary index for "my groups"),
 * mirrored contact rows (friendship table) and messages (`message-log.ts`).
 *
 * Consistency: single-row reads and range reads of tables are strongly consistent; `groupsOf`
 * reads the global secondary index, which Tablestore updates asynchronously (milliseconds).
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
import { otsCode, TablestoreClient } from './client.ts'
import { type ResolvedOptions, resolveOptions, type TablestoreOptions } from './config.ts'
import { ADAPTER_NAME } from './constants.ts'
import { ACKED_COLUMN, MessageLog } from './message-log.ts'
import {
  contactColumns,
  contactOf,
  groupColumns,
  groupOf,
  membershipOf,
  messageOf,
  userColumns,
  userOf,
} from './record-codec.ts'
import {
  batchGet,
  batchWrite,
  cells,
  condition,
  INF_MAX,
  INF_MIN,
  plainRow,
  rangePages,
  readRange,
} from './rows.ts'
import { type TableNames, tableNames } from './schema.ts'
import { long, rowExists } from './sdk.ts'
import { tablesOnFirstUse } from './setup.ts'

export class TablestoreRecordStore implements RecordStore, RecordScanner {
  readonly name = ADAPTER_NAME
  readonly #client: TablestoreClient
  readonly #options: ResolvedOptions
  readonly #t: TableNames
  readonly #messages: MessageLog
  readonly #ensure: () => Promise<void>

  constructor(options: TablestoreOptions, client?: TablestoreClient) {
    this.#options = resolveOptions(options)
    this.#client = client ?? new TablestoreClient(this.#options)
    this.#ensure = tablesOnFirstUse(this.#client, this.#options, 'record')
    this.#t = tableNames(this.#options.tablePrefix)
    this.#messages = new MessageLog(this.#client, {
      messageTable: this.#t.message,
      idTable: this.#t.messageId,
      leaseMs: this.#options.insertLeaseMs,
    })
  }

  async #get(table: string, key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    await this.#ensure()
    const { row } = await this.#client.call('getRow', {
      tableName: table,
      primaryKey: cells(key),
      maxVersions: 1,
    })
    return rowExists(row) ? plainRow(row) : undefined
  }

  async #put(table: string, key: Record<string, string>, columns: Parameters<typeof cells>[0]) {
    await this.#ensure()
    await this.#client.call('putRow', {
      tableName: table,
      condition: condition('IGNORE'),
      primaryKey: cells(key),
      attributeColumns: cells(columns),
    })
  }

  /** Deletes a row; false when it did not exist. */
  async #delete(table: string, key: Record<string, string>): Promise<boolean> {
    await this.#ensure()
    try {
      await this.#client.call('deleteRow', {
        tableName: table,
        condition: condition('EXPECT_EXIST'),
        primaryKey: cells(key),
      })
      return true
    } catch (error) {
      if (otsCode(error) === 'OTSConditionCheckFail') return false
      throw error
    }
  }

  async getUser(userId: string): Promise<User | undefined> {
    const row = await this.#get(this.#t.user, { user_id: userId })
    return row ? userOf(row) : undefined
  }
  async getUsers(userIds: readonly string[]): Promise<User[]> {
    if (userIds.length === 0) return []
    await this.#ensure()
    const rows = await batchGet(
      this.#client,
      this.#t.user,
      [...new Set(userIds)].map((id) => ({ user_id: id })),
    )
    return rows.map(userOf)
  }
  async putUser(user: User): Promise<void> {
    await this.#put(this.#t.user, { user_id: user.userId }, userColumns(user))
  }
  deleteUser(userId: string): Promise<boolean> {
    return this.#delete(this.#t.user, { user_id: userId })
  }

  async getGroup(groupId: string): Promise<Group | undefined> {
    const row = await this.#get(this.#t.group, { group_id: groupId })
    return row ? groupOf(row) : undefined
  }
  async getGroups(groupIds: readonly string[]): Promise<Group[]> {
    if (groupIds.length === 0) return []
    await this.#ensure()
    const keys = [...new Set(groupIds)].map((id) => ({ group_id: id }))
    return (await batchGet(this.#client, this.#t.group, keys)).map(groupOf)
  }
  async putGroup(group: Group): Promise<void> {
    await this.#put(this.#t.group, { group_id: group.groupId }, groupColumns(group))
  }
  async deleteGroup(groupId: string): Promise<boolean> {
    const existed = await this.#delete(this.#t.group, { group_id: groupId })
    const members = await this.members(groupId)
    await batchWrite(
      this.#client,
      this.#t.groupMember,
      members.map((m) => ({ type: 'DELETE', key: { group_id: groupId, user_id: m.userId } })),
    )
    return existed
  }

  async addMember(membership: Membership): Promise<boolean> {
    await this.#ensure()
    try {
      await this.#client.call('putRow', {
        tableName: this.#t.groupMember,
        condition: condition('EXPECT_NOT_EXIST'),
        primaryKey: cells({ group_id: membership.groupId, user_id: membership.userId }),
        attributeColumns: cells({ joined_at: long(membership.joinedAt) }),
      })
      return true
    } catch (error) {
      if (otsCode(error) === 'OTSConditionCheckFail') return false
      throw error
    }
  }
  removeMember(groupId: string, userId: string): Promise<boolean> {
    return this.#delete(this.#t.groupMember, { group_id: groupId, user_id: userId })
  }
  async getMembership(groupId: string, userId: string): Promise<Membership | undefined> {
    const row = await this.#get(this.#t.groupMember, { group_id: groupId, user_id: userId })
    return row ? membershipOf(row) : undefined
  }
  async memberIds(groupId: string): Promise<readonly string[]> {
    return Object.freeze((await this.members(groupId)).map((m) => m.userId))
  }

  async members(groupId: string): Promise<Membership[]> {
    await this.#ensure()
    const rows = await readRange(this.#client, {
      table: this.#t.groupMember,
      start: { group_id: groupId, user_id: INF_MIN() },
      end: { group_id: groupId, user_id: INF_MAX() },
    })
    return rows.map((r) => membershipOf(plainRow(r)))
  }
  async groupsOf(userId: string): Promise<Membership[]> {
    await this.#ensure()
    const rows = await readRange(this.#client, {
      table: this.#t.groupMemberByUser,
      start: { user_id: userId, group_id: INF_MIN() },
      end: { user_id: userId, group_id: INF_MAX() },
    })
    return rows.map((r) => membershipOf(plainRow(r)))
  }

  async putContacts(rows: readonly [Contact, Contact]): Promise<void> {
    await this.#ensure()
    // One BatchWriteRow: each row is atomic, the pair is not (as in the seeds).
    await batchWrite(
      this.#client,
      this.#t.friend,
      rows.map((c) => ({
        type: 'PUT' as const,
        key: { main_user: c.userId, sub_user: c.contactId },
        columns: contactColumns(c),
      })),
    )
  }
  async deleteContacts(userId: string, contactId: string): Promise<boolean> {
    const existed =
      (await this.#get(this.#t.friend, { main_user: userId, sub_user: contactId })) !== undefined
    await batchWrite(this.#client, this.#t.friend, [
      { type: 'DELETE', key: { main_user: userId, sub_user: contactId } },
      { type: 'DELETE', key: { main_user: contactId, sub_user: userId } },
    ])
    return existed
  }
  async contactsOf(userId: string): Promise<Contact[]> {
    await this.#ensure()
    const rows = await readRange(this.#client, {
      table: this.#t.friend,
      start: { main_user: userId, sub_user: INF_MIN() },
      end: { main_user: userId, sub_user: INF_MAX() },
    })
    return rows.map((r) => contactOf(plainRow(r)))
  }

  async insertMessage(draft: MessageDraft): Promise<InsertResult> {
    await this.#ensure()
    return this.#messages.insert(draft)
  }
  async insertMessages(drafts: readonly MessageDraft[]): Promise<InsertResult[]> {
    if (drafts.length === 0) return []
    await this.#ensure()
    return this.#messages.insertMany(drafts)
  }
  async getMessages(messageIds: readonly string[]): Promise<Message[]> {
    await this.#ensure()
    return this.#messages.getMany(messageIds)
  }
  async getMessage(messageId: string): Promise<Message | undefined> {
    await this.#ensure()
    return this.#messages.get(messageId)
  }
  async deleteMessage(messageId: string): Promise<Message | undefined> {
    await this.#ensure()
    return this.#messages.delete(messageId)
  }
  async history(conversationId: string, range: HistoryRange): Promise<Message[]> {
    await this.#ensure()
    return this.#messages.history(conversationId, range)
  }

  /** Every record of a kind, in pages (GetRange over the whole table), for building search indexes. */
  async *scan<K extends RecordKind>(kind: K, pageSize: number): AsyncIterable<RecordKinds[K][]> {
    await this.#ensure()
    const spec = {
      users: { table: this.#t.user, key: ['user_id'], of: userOf },
      groups: { table: this.#t.group, key: ['group_id'], of: groupOf },
      contacts: { table: this.#t.friend, key: ['main_user', 'sub_user'], of: contactOf },
      messages: { table: this.#t.message, key: ['timeline_id', 'sequence_id'], of: messageOf },
    }[kind]
    const bound = (inf: () => object) => Object.fromEntries(spec.key.map((k) => [k, inf()]))
    for await (const rows of rangePages(
      this.#client,
      { table: spec.table, start: bound(INF_MIN), end: bound(INF_MAX) },
      pageSize,
    )) {
      const plain = rows.map(plainRow)
      const records = plain.map((r) => spec.of(r))
      // Message rows count only when their id row names them: a row marked at step 3 is named;
      // the others (in flight, orphans, rows written before the mark) are looked up in the id
      // table (see MessageLog.acknowledged), in order of the scan.
      const marked = new Set(records.filter((_, at) => plain[at]?.[ACKED_COLUMN] === true))
      const page =
        kind === 'messages'
          ? await this.#messages.acknowledged(records as Message[], (m) => marked.has(m))
          : records
      if (page.length > 0) yield page as RecordKinds[K][]
    }
  }

  async close(): Promise<void> {}
}
