/**
 * @module Conversation history, as the seeds read it: the store table scanned by sequence id,
 * newest first, 30 a page. Only messages whose recipients include the caller are returned; a
 * member who joined late scans past what they cannot see, in bounded steps.
 */
import type { Message } from '../domain/message.ts'
import type { RecordStore } from '../ports/record-store.ts'
import { notFound } from './errors.ts'

/** A message as history shows it: without its permission fields, mentions and attachments always present. */
export type HistoryMessage = Omit<
  Message,
  'recipients' | 'conversationType' | 'mentions' | 'mentionAll' | 'attachments'
> &
  Required<Pick<Message, 'mentions' | 'mentionAll' | 'attachments'>>

export interface HistoryPage {
  /** Newest first. */
  hits: HistoryMessage[]
  /** Pass as `before` for older messages; absent when there are none. */
  nextBefore?: number | undefined
  /** With `around`: pass as `after` of a forward read for newer ones; absent when there are none. */
  nextAfter?: number | undefined
}

/** Rows read per store call, and the most a request reads, so one request stays bounded. */
const SCAN_BATCH = 100
const MAX_SCANNED = 5_000

export class History {
  constructor(private readonly store: RecordStore) {}

  async page(
    callerId: string,
    conversationId: string,
    before: number | undefined,
    limit: number,
  ): Promise<HistoryPage> {
    const older = await this.#scan(callerId, conversationId, 'backward', before, limit)
    if (older.hits.length === 0 && before === undefined)
      throw notFound(`no messages you can see in conversation ${conversationId}`)
    return { hits: older.hits, nextBefore: older.next }
  }

  /** The message at `around` with up to `limit` visible messages around it, half before, half after. */
  async around(
    callerId: string,
    conversationId: string,
    around: number,
    limit: number,
  ): Promise<HistoryPage> {
    const newerWanted = Math.floor((limit - 1) / 2)
    const centre = await this.#scan(callerId, conversationId, 'backward', around + 1, limit - newerWanted)
    if (centre.hits[0]?.sequenceId !== around)
      throw notFound(`no message ${around} you can see in ${conversationId}`)
    const newer = await this.#scan(callerId, conversationId, 'forward', around, newerWanted)
    return { hits: [...newer.hits.reverse(), ...centre.hits], nextBefore: centre.next, nextAfter: newer.next }
  }

  /**
   * Up to `limit` visible messages from `from` on, and where to resume: only when a further
   * message the caller can see exists. A pointer to a page with nothing visible would tell the
   * caller that messages they cannot see lie further on (issue 8), so the scan looks one visible
   * message ahead. A scan that reaches its bound without deciding resumes where it stopped.
   */
  async #scan(
    callerId: string,
    conversationId: string,
    direction: 'backward' | 'forward',
    from: number | undefined,
    limit: number,
  ) {
    const hits: HistoryMessage[] = []
    let cursor = from
    let scanned = 0
    let more = true
    let beyond = false
    while (more && !beyond && scanned < MAX_SCANNED) {
      const range = direction === 'backward' ? { before: cursor } : { after: cursor }
      const rows = await this.store.history(conversationId, { ...range, direction, limit: SCAN_BATCH })
      for (const row of rows) {
        if (row.recipients.includes(callerId)) {
          if (hits.length === limit) {
            beyond = true
            break
          }
          hits.push(strip(row))
        }
        cursor = row.sequenceId
      }
      scanned += rows.length
      // A short batch means the store has nothing further in this direction.
      more = rows.length === SCAN_BATCH
    }
    if (beyond) return { hits, next: hits.at(-1)?.sequenceId ?? from }
    return { hits, next: more ? cursor : undefined }
  }
}

function strip(message: Message): HistoryMessage {
  const { recipients: _r, conversationType: _c, mentions, mentionAll, attachments, ...rest } = message
  return {
    ...rest,
    mentions: mentions ?? [],
    mentionAll: mentionAll === true,
    attachments: attachments ?? [],
  }
}
