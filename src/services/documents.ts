/**
 * @module Records → search documents: adds the derived name forms and normalised tags, so that
 * every backend indexes exactly the same fields.
 */

import type { Contact } from '../domain/contact.ts'
import type { Group } from '../domain/group.ts'
import type { Message } from '../domain/message.ts'
import { normalizeTagName, type Tag } from '../domain/tag.ts'
import type { User } from '../domain/user.ts'
import { personGridPoint } from '../geo/person-grid.ts'
import {
  type ContactDocument,
  contactKey,
  type GroupDocument,
  type IndexedTag,
  type MessageDocument,
  type NameFields,
  type NicknameFields,
  type UserDocument,
} from '../ports/documents.ts'
import { linksIn } from '../text/links.ts'
import { nameForms } from '../text/name-forms.ts'
import { nameDeletions } from '../text/typo.ts'

export function messageDocument(message: Message): MessageDocument {
  const { messageId, conversationId, sequenceId, senderId, type, content, sentAt, conversationType } = message
  // Sorted and deduplicated: one canonical form lets backends share identical recipient lists.
  // Group members arrive in user id order already; sorting thousands of ids per message was a
  // third of ingestion's CPU at a million messages.
  const recipients = isCanonical(message.recipients) ? message.recipients : canonicalOf(message.recipients)
  return {
    messageId,
    conversationId,
    sequenceId,
    senderId,
    type,
    content,
    sentAt,
    conversationType,
    recipients,
    mentions: message.mentions ?? NONE,
    mentionAll: message.mentionAll === true,
    attachments: message.attachments ?? NONE,
    attachmentNames: message.attachments?.map((a) => a.name) ?? NONE,
    hasLink: linksIn(content).length > 0,
  }
}

/**
 * The empty list most messages carry for mentions and attachments, shared: an index of a
 * million documents would otherwise hold three million empty arrays. Documents are never mutated.
 */
const NONE: never[] = []

/**
 * Long lists found sorted and unique, by identity: a group's messages carry one member list until
 * its membership changes (the record store's), and checking it again for every message (a string
 * comparison an id, ~20 ns; ~100 ids a message at 200k) was a tenth of port ingest. Weak: a
 * decoded message's list is forgotten with it. Like the documents, a message's list is never
 * mutated.
 */
const canonicalLists = new WeakSet<readonly string[]>()

/** Shorter lists (direct chats) are checked each time: quicker than remembering them. */
const REMEMBERED_LENGTH = 16

function isCanonical(values: readonly string[]): boolean {
  const long = values.length >= REMEMBERED_LENGTH
  if (long && canonicalLists.has(values)) return true
  if (!isSortedUnique(values)) return false
  if (long) canonicalLists.add(values)
  return true
}

/**
 * `values` sorted (by UTF-16 code units, as `sort()` does) and deduplicated. A direct message's
 * pair, the usual list to sort, without a Set, its spread and a sort (~200 bytes a message).
 */
function canonicalOf(values: readonly string[]): string[] {
  if (values.length === 2) {
    const [a, b] = values as [string, string]
    return a < b ? [a, b] : b < a ? [b, a] : [a]
  }
  return [...new Set(values)].sort()
}

function isSortedUnique(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i - 1] as string) >= (values[i] as string)) return false
  return true
}

export function nameFields(name: string): NameFields {
  const forms = nameForms(name)
  return {
    name,
    nameNormalized: forms.normalized,
    nameCompact: forms.compact,
    nameWords: forms.words,
    nameDeletes: nameDeletions(forms.words),
    namePinyin: forms.pinyin,
  }
}

/** Tags by normalised name; a name given twice keeps its highest weight. */
export function indexedTags(tags: readonly Tag[]): IndexedTag[] {
  const byName = new Map<string, number>()
  for (const tag of tags) {
    const name = normalizeTagName(tag.name)
    byName.set(name, Math.max(byName.get(name) ?? 0, tag.weight))
  }
  return [...byName].map(([name, weight]) => ({ name, weight }))
}

export function userDocument(user: User): UserDocument {
  return {
    userId: user.userId,
    ...nameFields(user.name),
    tags: indexedTags(user.tags),
    // A person's exact position never enters the index (see person-grid.ts); a group's is a place.
    location: user.location && personGridPoint(user.location),
    discoverable: user.discoverable,
  }
}

export function groupDocument(group: Group): GroupDocument {
  return {
    groupId: group.groupId,
    ...nameFields(group.name),
    description: group.description,
    tags: indexedTags(group.tags),
    location: group.location,
    visibility: group.visibility,
    ownerId: group.ownerId,
    memberCount: group.memberCount,
    createdAt: group.createdAt,
  }
}

/**
 * A contact row with the contact's current name (from the user table).
 * @param fieldsOf builds the name's fields; a caller indexing many contacts passes a memo of {@link nameFields}.
 */
export function contactDocument(
  contact: Contact,
  contactName: string,
  fieldsOf: (name: string) => NameFields = nameFields,
): ContactDocument {
  const names = fieldsOf(contactName)
  const nickname: Partial<NicknameFields> = contact.nickname ? nicknameFields(contact.nickname) : {}
  return {
    contactKey: contactKey(contact.userId, contact.contactId),
    userId: contact.userId,
    contactId: contact.contactId,
    ...names,
    ...nickname,
    sortName: nickname.nicknameNormalized ?? names.nameNormalized,
    addedAt: contact.addedAt,
  }
}

function nicknameFields(nickname: string): NicknameFields {
  const f = nameFields(nickname)
  return {
    nickname,
    nicknameNormalized: f.nameNormalized,
    nicknameCompact: f.nameCompact,
    nicknameWords: f.nameWords,
    nicknameDeletes: f.nameDeletes,
    nicknamePinyin: f.namePinyin,
  }
}
