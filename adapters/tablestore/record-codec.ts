/**
 * @module Records ↔ table rows: one column per field, JSON for lists and objects (tags, location,
 * profile, recipients), integers as `TableStore.Long`. Reading back gives exactly what was written.
 */
import type { Contact } from '../../src/domain/contact.ts'
import type { Group, Membership } from '../../src/domain/group.ts'
import type { Message } from '../../src/domain/message.ts'
import type { User } from '../../src/domain/user.ts'
import type { Cells } from './rows.ts'
import { long } from './sdk.ts'

const json = (value: unknown): string => JSON.stringify(value)
const parse = <T>(value: unknown, fallback: T): T =>
  typeof value === 'string' ? (JSON.parse(value) as T) : fallback
const num = (value: unknown): number => Number(value)

export function userColumns(user: User): Cells {
  return {
    name: user.name,
    tags: json(user.tags),
    location: user.location ? json(user.location) : undefined,
    discoverable: user.discoverable,
    profile: json(user.profile),
  }
}

export function userOf(row: Record<string, unknown>): User {
  const location = parse<User['location']>(row.location, undefined)
  return {
    userId: String(row.user_id),
    name: String(row.name),
    tags: parse(row.tags, []),
    ...(location ? { location } : {}),
    discoverable: row.discoverable === true,
    profile: parse(row.profile, {}),
  }
}

export function groupColumns(group: Group): Cells {
  return {
    name: group.name,
    description: group.description,
    tags: json(group.tags),
    location: group.location ? json(group.location) : undefined,
    visibility: group.visibility,
    owner_id: group.ownerId,
    created_at: long(group.createdAt),
    member_count: long(group.memberCount),
  }
}

export function groupOf(row: Record<string, unknown>): Group {
  const location = parse<Group['location']>(row.location, undefined)
  return {
    groupId: String(row.group_id),
    name: String(row.name),
    description: String(row.description ?? ''),
    tags: parse(row.tags, []),
    ...(location ? { location } : {}),
    visibility: row.visibility === 'private' ? 'private' : 'public',
    ownerId: String(row.owner_id),
    createdAt: num(row.created_at),
    memberCount: num(row.member_count),
  }
}

export function membershipOf(row: Record<string, unknown>): Membership {
  return { groupId: String(row.group_id), userId: String(row.user_id), joinedAt: num(row.joined_at) }
}

export function contactColumns(contact: Contact): Cells {
  return { nickname: contact.nickname, added_at: long(contact.addedAt) }
}

export function contactOf(row: Record<string, unknown>): Contact {
  return {
    userId: String(row.main_user),
    contactId: String(row.sub_user),
    ...(typeof row.nickname === 'string' ? { nickname: row.nickname } : {}),
    addedAt: num(row.added_at),
  }
}

/** The store table's columns of a message (its key is the conversation and the sequence id). */
export function messageColumns(message: Omit<Message, 'sequenceId'>): Cells {
  return {
    message_id: message.messageId,
    sender_id: message.senderId,
    type: message.type,
    content: message.content,
    sent_at: long(message.sentAt),
    conversation_type: message.conversationType,
    recipients: json(message.recipients),
    mentions: message.mentions ? json(message.mentions) : undefined,
    mention_all: message.mentionAll,
    attachments: message.attachments ? json(message.attachments) : undefined,
  }
}

export function messageOf(row: Record<string, unknown>): Message {
  return {
    messageId: String(row.message_id),
    conversationId: String(row.timeline_id),
    sequenceId: num(row.sequence_id),
    senderId: String(row.sender_id),
    type: String(row.type),
    content: String(row.content ?? ''),
    sentAt: num(row.sent_at),
    conversationType: row.conversation_type === 'group' ? 'group' : 'single',
    recipients: parse(row.recipients, []),
    ...(typeof row.mentions === 'string' ? { mentions: parse<string[]>(row.mentions, []) } : {}),
    ...(row.mention_all === true ? { mentionAll: true } : {}),
    ...(typeof row.attachments === 'string'
      ? { attachments: parse<NonNullable<Message['attachments']>>(row.attachments, []) }
      : {}),
  }
}
