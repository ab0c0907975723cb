/**
 * @module The message stream, lazily and in time order: membership changes and messages
 * interleaved, so that a group message's recipients are the group's members when it is sent.
 * Recipient arrays are shared between consecutive messages of a group until its membership
 * changes, so the stream costs nothing per message beyond the message itself.
 */

import { attachment, chatLine } from '../../fixtures/generator/messages.ts'
import { chance, pick, substream } from '../../fixtures/generator/prng.ts'
import type { Message } from '../../src/domain/message.ts'
import type { Corpus } from './corpus.ts'
import type { BenchGroup } from './groups.ts'
import { WeightedIndex } from './sampling.ts'

export interface CorpusMessage extends Message {
  /** The recipients as user indexes (shared array; do not modify). */
  recipientIdx: Int32Array
}

export interface MembershipEvent {
  kind: 'join' | 'leave'
  at: number
  groupId: string
  userId: string
}

export type CorpusEvent = { kind: 'message'; message: CorpusMessage } | MembershipEvent

interface GroupState {
  members: Set<number>
  ids: string[] | undefined
  idx: Int32Array | undefined
}

export function* corpusEvents(corpus: Corpus): Generator<CorpusEvent> {
  const { config, users, groups, changes, directs } = corpus
  const rng = substream(config.seed, 'messages')
  const pickGroup = new WeightedIndex(groups.map((g) => g.activity))
  const pickDirect = new WeightedIndex(directs.map((d) => d.activity))
  const state: GroupState[] = groups.map((g) => ({
    members: new Set(g.initial),
    ids: undefined,
    idx: undefined,
  }))
  const groupSeq = new Int32Array(groups.length)
  const directSeq = new Int32Array(directs.length)
  const directIds: (string[] | undefined)[] = new Array(directs.length)
  const directIdx: (Int32Array | undefined)[] = new Array(directs.length)
  const span = config.end - config.start
  let next = 0
  for (let i = 0; i < config.messages; i++) {
    const sentAt = Math.floor(config.start + ((i + 0.5) / config.messages) * span)
    for (; next < changes.length && (changes[next]?.at ?? Infinity) <= sentAt; next++) {
      const change = changes[next]!
      const s = state[change.group]!
      if (change.kind === 'join') s.members.add(change.user)
      else s.members.delete(change.user)
      s.ids = undefined
      s.idx = undefined
      const groupId = groups[change.group]!.groupId
      yield { kind: change.kind, at: Math.floor(change.at), groupId, userId: users[change.user]!.userId }
    }
    let conversationId: string
    let lang: BenchGroup['lang']
    let topic: BenchGroup['topics'][number]
    let ids: string[]
    let idx: Int32Array
    let sender: number
    let sequenceId: number
    const isGroup = chance(rng, config.groupShare)
    if (isGroup) {
      const g = pickGroup.draw(rng)
      const group = groups[g]!
      const s = state[g]!
      if (!s.idx || !s.ids) {
        s.idx = Int32Array.from(s.members)
        // In user id order, as the record stores list a group's members to the ingestion service.
        s.ids = Array.from(s.idx, (u) => users[u]!.userId).sort()
      }
      ;({ ids, idx } = { ids: s.ids, idx: s.idx })
      conversationId = group.groupId
      lang = group.lang
      topic = pick(rng, group.topics)
      sender = idx[Math.floor(rng() * idx.length)]!
      sequenceId = ++groupSeq[g]!
    } else {
      const d = pickDirect.draw(rng)
      const chat = directs[d]!
      ids = directIds[d] ??= [users[chat.a]!.userId, users[chat.b]!.userId]
      idx = directIdx[d] ??= Int32Array.of(chat.a, chat.b)
      conversationId = chat.conversationId
      lang = chat.lang === 'ja' ? 'ja' : chat.lang
      topic = chat.topic
      sender = chance(rng, 0.5) ? chat.a : chat.b
      sequenceId = ++directSeq[d]!
    }
    const roll = rng()
    const type = roll < 0.92 ? 'text' : roll < 0.97 ? 'image' : 'file'
    const content = type === 'text' ? chatLine(rng, lang, topic) : attachment(rng, lang, type)
    yield {
      kind: 'message',
      message: {
        messageId: `m${i + 1}`,
        conversationId,
        sequenceId,
        senderId: users[sender]!.userId,
        type,
        content,
        sentAt,
        conversationType: isGroup ? 'group' : 'single',
        recipients: ids,
        recipientIdx: idx,
      },
    }
  }
}

/** Only the messages, in order. */
export function* corpusMessages(corpus: Corpus): Generator<CorpusMessage> {
  for (const event of corpusEvents(corpus)) if (event.kind === 'message') yield event.message
}
