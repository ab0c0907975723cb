/**
 * @module The documents each search index holds: the record plus the derived fields that make
 * every matching rule a plain term, prefix or phrase query (see `services/documents.ts`).
 */
import type { GeoPoint } from '../domain/geo-point.ts'
import type { GroupVisibility } from '../domain/group.ts'
import type { Attachment, ConversationType } from '../domain/message.ts'
import { ID_FIELDS, type IndexName } from '../query/index-schemas.ts'

export interface MessageDocument {
  messageId: string
  conversationId: string
  sequenceId: number
  senderId: string
  type: string
  content: string
  sentAt: number
  conversationType: ConversationType
  recipients: string[]
  /** Mentioned user ids; empty when none. */
  mentions: string[]
  mentionAll: boolean
  /** Empty when none. */
  attachments: Attachment[]
  /** The attachments' names, searched by the content's matching rule, each name on its own. */
  attachmentNames: string[]
  /** The content holds an `http(s)://` URL (`text/links.ts`). */
  hasLink: boolean
}

/** A tag as indexed: the name normalised (NFKC, lower-case), the weight as given. */
export interface IndexedTag {
  name: string
  weight: number
}

/** Derived name forms; see `text/name-forms.ts` and `text/typo.ts` for the rules. */
export interface NameFields {
  name: string
  nameNormalized: string
  nameCompact: string
  nameWords: string[]
  nameDeletes: string[]
  namePinyin: string[]
}

export interface UserDocument extends NameFields {
  userId: string
  tags: IndexedTag[]
  location?: GeoPoint | undefined
  discoverable: boolean
}

export interface GroupDocument extends NameFields {
  groupId: string
  description: string
  tags: IndexedTag[]
  location?: GeoPoint | undefined
  visibility: GroupVisibility
  ownerId: string
  memberCount: number
  createdAt: number
}

/** A nickname's forms, named like {@link NameFields} with `nickname` for `name`. */
export interface NicknameFields {
  nickname: string
  nicknameNormalized: string
  nicknameCompact: string
  nicknameWords: string[]
  nicknameDeletes: string[]
  nicknamePinyin: string[]
}

/** One row of a user's contact list: the contact's name and the owner's nickname for them. */
export interface ContactDocument extends NameFields, Partial<NicknameFields> {
  /** {@link contactKey} of `userId` and `contactId`. */
  contactKey: string
  userId: string
  contactId: string
  sortName: string
  addedAt: number
}

export interface IndexDocuments {
  messages: MessageDocument
  users: UserDocument
  groups: GroupDocument
  contacts: ContactDocument
}

export type DocumentOf<I extends IndexName> = IndexDocuments[I]

/** The value of the index's id field: the key of `index`, `remove` and tie-breaks. */
export function documentId<I extends IndexName>(index: I, document: DocumentOf<I>): string {
  return (document as unknown as Record<string, string>)[ID_FIELDS[index]] as string
}

/**
 * The contacts index's id: one owner's row for one contact. Its format is part of the port, so
 * that an adapter may make it from the two fields instead of storing it (the embedded engine does).
 */
export function contactKey(userId: string, contactId: string): string {
  return `${userId}/${contactId}`
}
