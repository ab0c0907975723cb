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
import { batchGet, cells, condition, INF_MAX, INF_MIN, plainRow, readRange } from './rows.ts'
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

  async insert(draft: MessageDraft): Promise<InsertResult> {
    const owner = randomUUID()
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
