/**
 * @module Messages on the seeds' store table (conversation, auto-increment sequence id) with a
 * message-id table that makes ingestion idempotent across processes.
 *
 * Inserting is three steps, because Tablestore has no transaction across the two tables:
 * 1. claim the id: a conditional put (EXPECT_NOT_EXIST) of a `pending` id row naming its owner;
 * 2. put the message with an AUTO_INCREMENT sequence id (ReturnType RT_PK gives it back); the row
 *    carries the message id and the owner;
 * 3. complete the id row with the sequence id, on condition that the owner is still the claimant.
 *
 * A writer that finds a `pending` id row waits while the claim is fresh (a concurrent insert of
 * the same id) and takes it over once its lease has passed (the claimant crashed): it looks for
 * the claimant's message row at the end of the conversation, completes the id row with it if it
 * is there, and writes the message itself if it is not. So a crash between any two steps leaves
 * at most a pending row that the next insert of the same id completes, never a second message.
 * The auto-increment put is never repeated blindly: after an ambiguous failure the writer looks
 * for its own row first.
 */
import { randomUUID } from 'node:crypto'
import type { Message } from '../../src/domain/message.ts'
import type { HistoryRange, InsertResult, MessageDraft } from '../../src/ports/record-store.ts'
import { otsCode, type TablestoreClient } from './client.ts'
import { BackendUnavailableError, TablestoreError } from './errors.ts'
import { messageColumns, messageOf } from './record-codec.ts'
import {
  batchGet,
  batchWriteRows,
  type Cells,
  cells,
  condition,
  INF_MAX,
  INF_MIN,
  plainRow,
  type RowWrite,
  readRange,
} from './rows.ts'
import { loadSdk, long, plain, primaryKeyOf, rowExists } from './sdk.ts'
import { ReturnType } from './sdk-constants.ts'

interface IdRow {
  timelineId: string
  owner: string
  claimedAt: number
  sequenceId: number | undefined
}

export interface MessageLogOptions {
  messageTable: string
  idTable: string
  /** How long a claim is left to its claimant. */
  leaseMs: number
  sleep?: (ms: number) => Promise<void>
}

/** How far back (in rows of the conversation) a takeover looks for the claimant's message. */
const TAKEOVER_SCAN_ROWS = 2000
/** Set on a message row once its id row names it (step 3 done): scans trust it without a lookup. */
export const ACKED_COLUMN = 'acked'
const MAX_ROUNDS = 200

export class MessageLog {
  readonly #client: TablestoreClient
  readonly #o: MessageLogOptions

  constructor(client: TablestoreClient, options: MessageLogOptions) {
    this.#client = client
    this.#o = options
  }

  /** Inserts one draft; `owner` is a batch's own when it finishes a draft {@link insertMany} could not. */
  async insert(draft: MessageDraft, owner: string = randomUUID()): Promise<InsertResult> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const claimedAt = Date.now()
      if (await this.#claim(draft, owner, claimedAt)) {
        const message = await this.#releaseOnFailure(draft.messageId, owner, claimedAt, () =>
          this.#storeAndComplete(draft, owner, claimedAt),
        )
        return { message, created: true }
      }
      const row = await this.#idRow(draft.messageId)
      if (!row) continue
      if (row.owner === owner) {
        // Our claim or takeover succeeded although the call reported a failure (retried after a
        // lost answer). After a takeover the previous claimant's row may exist: look first.
        const message = await this.#releaseOnFailure(draft.messageId, owner, row.claimedAt, () =>
          this.#completeFound(row, draft, owner),
        )
        return { message, created: true }
      }
      if (row.sequenceId !== undefined) {
        const stored = await this.#read(row.timelineId, row.sequenceId)
        if (stored) return { message: stored, created: false }
        // A recall removed the message but not yet its id row: finish that, then insert anew.
        await this.#dropIdRow(draft.messageId, row.owner)
        continue
      }
      if (Date.now() - row.claimedAt < this.#o.leaseMs) {
        await (this.#o.sleep ?? sleep)(Math.min(50 * 2 ** Math.min(round, 5), 1000) * Math.random() + 5)
        continue
      }
      const takenAt = Date.now()
      if (await this.#takeOver(draft.messageId, row, owner, takenAt)) {
        const message = await this.#releaseOnFailure(draft.messageId, owner, takenAt, () =>
          this.#completeFound(row, draft, owner),
        )
        return { message, created: true }
      }
    }
    throw new BackendUnavailableError(
      `insertMessage ${draft.messageId}: the id stayed contended`,
      'insertMessage',
      undefined,
      undefined,
    )
  }

  /**
   * The three steps for many drafts (distinct ids), each step one BatchWriteRow per 200 rows, with
   * one owner for the batch; every row keeps its own condition and outcome. A draft whose step
   * fails, row by row or with its whole request (an ambiguous answer included), is finished by
   * {@link insert} with the batch's owner, which looks for a row the batch wrote before writing
   * one: so the id table still names exactly one row per id.
   *
   * Order: Tablestore's auto-increment values are "unique and strictly increasing within a
   * partition key" (Auto-increment primary key column,
   * https://www.alibabacloud.com/help/en/tablestore/table-store-service/auto-increment-of-primary-key),
   * and RT_PK returns them from BatchWriteRow too (Configure an auto-increment primary key column,
   * https://www.alibabacloud.com/help/en/tablestore/latest/configure-an-auto-increment-primary-key-column-2);
   * the docs do not say they follow the rows' order within one request. So the values a
   * conversation got are sorted and handed out in draft order: a draft that got another's value
   * has its row rewritten there before its id row names it (rows no id row names are invisible to
   * readers). A draft whose id an earlier one has is answered as a second insert would be: the
   * stored message, not created.
   */
  async insertMany(drafts: readonly MessageDraft[]): Promise<InsertResult[]> {
    const first = new Map<string, number>()
    drafts.forEach((d, at) => {
      if (!first.has(d.messageId)) first.set(d.messageId, at)
    })
    const unique = drafts.filter((d, at) => first.get(d.messageId) === at)
    const results = new Map((await this.#insertUnique(unique)).map((r) => [r.message.messageId, r]))
    return drafts.map((d, at) => {
      const result = results.get(d.messageId) as InsertResult
      return first.get(d.messageId) === at ? result : { message: result.message, created: false }
    })
  }

  /** {@link insertMany} for drafts with distinct ids. */
  async #insertUnique(drafts: readonly MessageDraft[]): Promise<InsertResult[]> {
    const owner = randomUUID()
    const claimedAt = Date.now()
    const sequence = new Map<number, number>()
    const done = new Map<number, Message>()
    const attempt = async (step: () => Promise<void>) => {
      try {
        await step()
      } catch {
        // The drafts this step did not finish are finished one by one below, looking first.
      }
    }
    const claimed: number[] = []
    await attempt(async () => {
      const claims = await batchWriteRows(
        this.#client,
        this.#o.idTable,
        drafts.map((d) => ({
          type: 'PUT',
          key: { message_id: d.messageId },
          columns: { timeline_id: d.conversationId, owner, claimed_at: long(claimedAt) },
          condition: condition('EXPECT_NOT_EXIST'),
        })),
      )
      claims.forEach((r, at) => {
        if (r.ok) claimed.push(at)
      })
    })
    const storedAt = long(Date.now())
    const rowOf = (at: number, sequenceId: object) => {
      const draft = drafts[at] as MessageDraft
      return {
        key: { timeline_id: draft.conversationId, sequence_id: sequenceId },
        columns: { ...messageColumns(draft), owner, stored_at: storedAt },
      }
    }
    await attempt(async () => {
      const puts = await batchWriteRows(
        this.#client,
        this.#o.messageTable,
        claimed.map((at) => ({ type: 'PUT', ...rowOf(at, loadSdk().PK_AUTO_INCR), returnPrimaryKey: true })),
        { idempotent: false },
      )
      puts.forEach((r, i) => {
        const seq = r.ok ? r.primaryKey?.sequence_id : undefined
        if (typeof seq === 'number' && Number.isSafeInteger(seq)) sequence.set(claimed[i] as number, seq)
      })
      await this.#inDraftOrder(drafts, sequence, owner, rowOf)
    })
    const stored = [...sequence.keys()]
    await attempt(async () => {
      const completions = await batchWriteRows(
        this.#client,
        this.#o.idTable,
        stored.map((at) => ({
          type: 'UPDATE',
          key: { message_id: drafts[at]?.messageId },
          columns: { sequence_id: long(sequence.get(at) as number) },
          condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
        })),
      )
      completions.forEach((r, i) => {
        const at = stored[i] as number
        if (r.ok) done.set(at, { ...(drafts[at] as MessageDraft), sequenceId: sequence.get(at) as number })
      })
    })
    const marked = [...done.values()]
    // Best effort, as for one insert: an unmarked row is checked against the id table instead.
    if (marked.length > 0)
      await attempt(async () => {
        await batchWriteRows(
          this.#client,
          this.#o.messageTable,
          marked.map((m) => ({
            type: 'UPDATE',
            key: { timeline_id: m.conversationId, sequence_id: long(m.sequenceId) },
            columns: { [ACKED_COLUMN]: true },
            condition: condition('EXPECT_EXIST'),
          })),
        )
      })
    const results: InsertResult[] = []
    try {
      for (const [at, draft] of drafts.entries()) {
        const message = done.get(at)
        results.push(message ? { message, created: true } : await this.insert(draft, owner))
      }
    } catch (error) {
      // As one insert does: backdate the batch's unfinished claims (best effort), so that the
      // client's resubmission takes them over at once instead of waiting out the lease.
      // The condition on the owner leaves other writers' claims alone.
      const unfinished = [...drafts.keys()].filter((at) => at >= results.length && !done.has(at))
      await attempt(async () => {
        await batchWriteRows(
          this.#client,
          this.#o.idTable,
          unfinished.map((at) => ({
            type: 'UPDATE',
            key: { message_id: drafts[at]?.messageId },
            columns: { claimed_at: long(claimedAt - this.#o.leaseMs) },
            condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
          })),
        )
      })
      throw error
    }
    return results
  }

  /**
   * Hands a conversation's sequence ids out in draft order (see {@link insertMany}): rewrites the
   * rows of drafts that got another draft's id, on condition that the row is still the batch's.
   */
  async #inDraftOrder(
    drafts: readonly MessageDraft[],
    sequence: Map<number, number>,
    owner: string,
    rowOf: (at: number, sequenceId: object) => { key: Cells; columns: Cells },
  ): Promise<void> {
    const byConversation = new Map<string, number[]>()
    for (const at of sequence.keys()) {
      const id = (drafts[at] as MessageDraft).conversationId
      byConversation.set(id, [...(byConversation.get(id) ?? []), at])
    }
    const moves: RowWrite[] = []
    for (const ats of byConversation.values()) {
      const sorted = ats.map((at) => sequence.get(at) as number).sort((a, b) => a - b)
      ats.forEach((at, i) => {
        const seq = sorted[i] as number
        if (sequence.get(at) === seq) return
        sequence.set(at, seq)
        moves.push({
          type: 'PUT',
          ...rowOf(at, long(seq)),
          condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
        })
      })
    }
    if (moves.length === 0) return
    const rewritten = await batchWriteRows(this.#client, this.#o.messageTable, moves)
    // A row not rewritten holds another draft's content: leave the whole conversation to `insert`.
    rewritten.forEach((r, i) => {
      if (r.ok) return
      const conversation = moves[i]?.key.timeline_id
      for (const at of sequence.keys()) if (drafts[at]?.conversationId === conversation) sequence.delete(at)
    })
  }

  /** The stored messages among `messageIds`: their id rows, then the rows those name (BatchGetRow each). */
  async getMany(messageIds: readonly string[]): Promise<Message[]> {
    if (messageIds.length === 0) return []
    const ids = await batchGet(
      this.#client,
      this.#o.idTable,
      [...new Set(messageIds)].map((id) => ({ message_id: id })),
      ['timeline_id', 'sequence_id'],
    )
    const named = ids.filter((r) => typeof r.sequence_id === 'number')
    if (named.length === 0) return []
    const rows = await batchGet(
      this.#client,
      this.#o.messageTable,
      named.map((r) => ({ timeline_id: String(r.timeline_id), sequence_id: long(Number(r.sequence_id)) })),
    )
    const refs = new Set(named.map((r) => `${r.message_id}\u0000${r.timeline_id}\u0000${r.sequence_id}`))
    return rows
      .map((r) => messageOf(r))
      .filter((m) => refs.has(`${m.messageId}\u0000${m.conversationId}\u0000${m.sequenceId}`))
  }

  async get(messageId: string): Promise<Message | undefined> {
    const row = await this.#idRow(messageId)
    if (!row || row.sequenceId === undefined) return undefined
    return this.#read(row.timelineId, row.sequenceId)
  }

  async delete(messageId: string): Promise<Message | undefined> {
    const row = await this.#idRow(messageId)
    if (!row || row.sequenceId === undefined) return undefined
    const message = await this.#read(row.timelineId, row.sequenceId)
    // The message row first: a crash in between leaves an id row pointing nowhere, which every
    // reader treats as absent and the next insert of the id clears.
    await this.#client.call('deleteRow', {
      tableName: this.#o.messageTable,
      condition: condition('IGNORE'),
      primaryKey: cells({ timeline_id: row.timelineId, sequence_id: long(row.sequenceId) }),
    })
    await this.#dropIdRow(messageId, row.owner)
    return message
  }

  /**
   * Acknowledged messages of a conversation in sequence order. Rows no id row points to are left
   * out (an insert not yet completed, or an orphan: see {@link MessageLog.acknowledged}), and the
   * range is read on until `limit` messages are found or it ends, so a short answer still means
   * "nothing further".
   */
  async history(conversationId: string, range: HistoryRange): Promise<Message[]> {
    const out: Message[] = []
    let next = range
    while (out.length < range.limit) {
      const wanted = range.limit - out.length
      const rows = await this.#range(conversationId, { ...next, limit: wanted })
      out.push(...(await this.acknowledged(rows)))
      const last = rows.at(-1)
      if (rows.length < wanted || !last) break
      next =
        range.direction === 'forward'
          ? { ...next, after: last.sequenceId }
          : { ...next, before: last.sequenceId }
    }
    return out
  }

  /**
   * The messages whose id row points at them. An auto-increment put that timed out can still be
   * applied by the server after its writer looked for it and wrote the message again; that late
   * row is an orphan, and the id table, which names exactly one row per message id, decides.
   * Rows `marked` (their id row named them when they were completed) are kept without a lookup.
   */
  async acknowledged(
    messages: readonly Message[],
    marked: (message: Message) => boolean = () => false,
  ): Promise<Message[]> {
    const unmarked = messages.filter((m) => !marked(m))
    if (unmarked.length === 0) return [...messages]
    const ids = [...new Set(unmarked.map((m) => m.messageId))]
    const rows = await batchGet(
      this.#client,
      this.#o.idTable,
      ids.map((id) => ({ message_id: id })),
      ['timeline_id', 'sequence_id'],
    )
    const refs = new Map(rows.map((r) => [String(r.message_id), `${r.timeline_id}\u0000${r.sequence_id}`]))
    return messages.filter(
      (m) => marked(m) || refs.get(m.messageId) === `${m.conversationId}\u0000${m.sequenceId}`,
    )
  }

  /** Message rows of a key range, acknowledged or not. */
  async #range(conversationId: string, range: HistoryRange): Promise<Message[]> {
    const low = range.after === undefined ? undefined : Math.floor(range.after) + 1
    const high = range.before === undefined ? undefined : Math.ceil(range.before) - 1
    if (range.limit <= 0 || (low !== undefined && high !== undefined && low > high)) return []
    const key = (seq: number | undefined, inf: () => object) => ({
      timeline_id: conversationId,
      sequence_id: seq === undefined ? inf() : long(seq),
    })
    const forward = range.direction === 'forward'
    // GetRange: the start is inclusive, the end exclusive, in the scan's direction.
    const rows = await readRange(this.#client, {
      table: this.#o.messageTable,
      direction: forward ? 'FORWARD' : 'BACKWARD',
      start: forward ? key(low, INF_MIN) : key(high, INF_MAX),
      end: forward
        ? key(high === undefined ? undefined : high + 1, INF_MAX)
        : key(low === undefined ? undefined : low - 1, INF_MIN),
      limit: range.limit,
    })
    return rows.map((r) => messageOf(plainRow(r)))
  }

  /** Step 1. Resolves false when the id row exists (whoever wrote it). */
  async #claim(draft: MessageDraft, owner: string, claimedAt: number): Promise<boolean> {
    try {
      await this.#client.call('putRow', {
        tableName: this.#o.idTable,
        condition: condition('EXPECT_NOT_EXIST'),
        primaryKey: cells({ message_id: draft.messageId }),
        attributeColumns: cells({ timeline_id: draft.conversationId, owner, claimed_at: long(claimedAt) }),
      })
      return true
    } catch (error) {
      if (otsCode(error) === 'OTSConditionCheckFail') return false
      throw error
    }
  }

  /**
   * Runs steps 2 and 3; when they fail, backdates the claim by a lease (best effort) so that the
   * client's resubmission takes over at once, finding the message row if it landed, instead of
   * waiting for the lease to pass. Backdating by exactly one lease keeps the takeover's search
   * window where it was.
   */
  async #releaseOnFailure(
    messageId: string,
    owner: string,
    claimedAt: number,
    steps: () => Promise<Message>,
  ): Promise<Message> {
    try {
      return await steps()
    } catch (error) {
      await this.#client
        .call('updateRow', {
          tableName: this.#o.idTable,
          condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
          primaryKey: cells({ message_id: messageId }),
          updateOfAttributeColumns: [{ PUT: cells({ claimed_at: long(claimedAt - this.#o.leaseMs) }) }],
        })
        .catch(() => {})
      throw error
    }
  }

  /** Completes the id row with a message row already written for it, or writes one (steps 2 and 3). */
  async #completeFound(row: IdRow, draft: MessageDraft, owner: string): Promise<Message> {
    const found = await this.#findRow(row.timelineId, draft.messageId, row.claimedAt)
    if (!found) return this.#storeAndComplete({ ...draft, conversationId: row.timelineId }, owner, Date.now())
    await this.#complete(draft.messageId, owner, row.timelineId, found.sequenceId)
    return found
  }

  /** Steps 2 and 3. */
  async #storeAndComplete(draft: MessageDraft, owner: string, claimedAt: number): Promise<Message> {
    const sequenceId = await this.#store(draft, owner, claimedAt)
    await this.#complete(draft.messageId, owner, draft.conversationId, sequenceId)
    return { ...draft, sequenceId }
  }

  async #store(draft: MessageDraft, owner: string, claimedAt: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.#client.call(
          'putRow',
          {
            tableName: this.#o.messageTable,
            condition: condition('IGNORE'),
            primaryKey: cells({ timeline_id: draft.conversationId, sequence_id: loadSdk().PK_AUTO_INCR }),
            attributeColumns: cells({ ...messageColumns(draft), owner, stored_at: long(Date.now()) }),
            returnContent: { returnType: ReturnType.Primarykey },
          },
          { idempotent: false },
        )
        const seq = plain(result.row?.primaryKey?.find((c) => c.name === 'sequence_id')?.value)
        if (typeof seq !== 'number' || !Number.isSafeInteger(seq))
          throw new TablestoreError('putRow returned no sequence id', 'putRow', undefined, undefined)
        return seq
      } catch (error) {
        if (!(error instanceof BackendUnavailableError) || attempt >= 3) throw error
        // The put may have landed: look before writing again.
        const found = await this.#findRow(draft.conversationId, draft.messageId, claimedAt, owner)
        if (found) return found.sequenceId
      }
    }
  }

  /**
   * Step 3, then a mark on the message row that its id row names it (`acked`), so that a scan
   * keeps marked rows without reading the id table for each (see {@link acknowledged}). The mark
   * comes only after the completion succeeded: a row its id row does not name is never marked.
   * It is best effort: an unmarked row is checked against the id table instead.
   */
  async #complete(messageId: string, owner: string, timelineId: string, sequenceId: number): Promise<void> {
    await this.#client.call('updateRow', {
      tableName: this.#o.idTable,
      condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
      primaryKey: cells({ message_id: messageId }),
      updateOfAttributeColumns: [{ PUT: cells({ sequence_id: long(sequenceId) }) }],
    })
    await this.#client
      .call('updateRow', {
        tableName: this.#o.messageTable,
        condition: condition('EXPECT_EXIST'),
        primaryKey: cells({ timeline_id: timelineId, sequence_id: long(sequenceId) }),
        updateOfAttributeColumns: [{ PUT: cells({ [ACKED_COLUMN]: true }) }],
      })
      .catch(() => {})
  }

  async #takeOver(messageId: string, row: IdRow, owner: string, takenAt: number): Promise<boolean> {
    try {
      await this.#client.call('updateRow', {
        tableName: this.#o.idTable,
        condition: condition('EXPECT_EXIST', { name: 'owner', equals: row.owner }),
        primaryKey: cells({ message_id: messageId }),
        updateOfAttributeColumns: [{ PUT: cells({ owner, claimed_at: long(takenAt) }) }],
      })
      return true
    } catch (error) {
      if (otsCode(error) === 'OTSConditionCheckFail') return false
      throw error
    }
  }

  async #dropIdRow(messageId: string, owner: string): Promise<void> {
    try {
      await this.#client.call('deleteRow', {
        tableName: this.#o.idTable,
        condition: condition('EXPECT_EXIST', { name: 'owner', equals: owner }),
        primaryKey: cells({ message_id: messageId }),
      })
    } catch (error) {
      if (otsCode(error) !== 'OTSConditionCheckFail') throw error
    }
  }

  /**
   * The newest message row of the conversation with this id (and owner), written since the
   * claim: scans backward from the end, at most {@link TAKEOVER_SCAN_ROWS} rows.
   */
  async #findRow(
    timelineId: string,
    messageId: string,
    claimedAt: number,
    owner?: string,
  ): Promise<Message | undefined> {
    const rows = await readRange(this.#client, {
      table: this.#o.messageTable,
      direction: 'BACKWARD',
      start: { timeline_id: timelineId, sequence_id: INF_MAX() },
      end: { timeline_id: timelineId, sequence_id: INF_MIN() },
      limit: TAKEOVER_SCAN_ROWS,
    })
    for (const r of rows) {
      const row = plainRow(r)
      if (typeof row.stored_at === 'number' && row.stored_at < claimedAt - 60_000) break
      if (row.message_id === messageId && (owner === undefined || row.owner === owner)) return messageOf(row)
    }
    return undefined
  }

  async #idRow(messageId: string): Promise<IdRow | undefined> {
    const { row } = await this.#client.call('getRow', {
      tableName: this.#o.idTable,
      primaryKey: cells({ message_id: messageId }),
      maxVersions: 1,
    })
    if (!rowExists(row)) return undefined
    const r = plainRow(row)
    return {
      timelineId: String(r.timeline_id),
      owner: String(r.owner),
      claimedAt: Number(r.claimed_at),
      sequenceId: typeof r.sequence_id === 'number' ? r.sequence_id : undefined,
    }
  }

  async #read(timelineId: string, sequenceId: number): Promise<Message | undefined> {
    const { row } = await this.#client.call('getRow', {
      tableName: this.#o.messageTable,
      primaryKey: cells({ timeline_id: timelineId, sequence_id: long(sequenceId) }),
      maxVersions: 1,
    })
    return rowExists(row) ? messageOf({ ...primaryKeyOf(row), ...plainRow(row) }) : undefined
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
