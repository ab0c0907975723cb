/** @module A chat message: a row of the seeds' store table `im_timeline_store_table`. */
import { z } from 'zod'
import { EpochMsSchema, IdSchema } from './ids.ts'

export const MessageTypeSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z][a-z0-9_-]*$/)
export const ConversationTypeSchema = z.enum(['single', 'group'])
export type ConversationType = z.infer<typeof ConversationTypeSchema>

/** Content is capped at 16 KiB of text: far above a chat message, far below Tablestore's 2 MB. */
export const MAX_CONTENT_LENGTH = 16_384

/** What an attachment is; `has:file`, `has:image`, ... find messages carrying one of that kind. */
export const AttachmentKindSchema = z.enum(['file', 'image', 'video', 'audio'])
export type AttachmentKind = z.infer<typeof AttachmentKindSchema>

/** A file sent with a message. Its name is searchable text, by the same matching rule as content. */
export const AttachmentSchema = z.object({
  name: z.string().min(1).max(255),
  kind: AttachmentKindSchema,
  /** Bytes. */
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
})
export type Attachment = z.infer<typeof AttachmentSchema>

/** Mentions a message may carry: as many as a direct message has recipients. */
export const MAX_MENTIONS = 256
/** Attachments a message may carry. */
export const MAX_ATTACHMENTS = 20

export const MessageSchema = z.object({
  /** Dedup key chosen by the sender's client; the same id twice stores one message. */
  messageId: IdSchema,
  /** The timeline id: a group id, or a direct conversation's id. */
  conversationId: IdSchema,
  /** Increasing within a conversation, assigned on ingestion; never a counter (gaps allowed). */
  sequenceId: z.number().int().nonnegative(),
  senderId: IdSchema,
  /** `text`, `image`, `file`, ... */
  type: MessageTypeSchema,
  content: z.string().max(MAX_CONTENT_LENGTH),
  sentAt: EpochMsSchema,
  conversationType: ConversationTypeSchema,
  /**
   * Who may see the message: the seeds' recipient-ID array. Always includes the sender. For a
   * group message, the group's members at send time.
   */
  recipients: z.array(IdSchema).min(1),
  /**
   * User ids the message mentions (`@name`), deduplicated in the order given. Absent when none:
   * rows stored before mentions existed read the same as a message without them.
   */
  mentions: z.array(IdSchema).max(MAX_MENTIONS).optional(),
  /** `@all`: the message mentions every recipient. Absent means false. */
  mentionAll: z.boolean().optional(),
  /** Absent when none. */
  attachments: z.array(AttachmentSchema).max(MAX_ATTACHMENTS).optional(),
})
export type Message = z.infer<typeof MessageSchema>

/** Recipients a direct message may name: a direct conversation is a small circle, not a broadcast. */
export const MAX_DIRECT_RECIPIENTS = 256

/** A message as the IM backend sends it for ingestion; the service fills in the rest. */
export const MessageInputSchema = z.object({
  messageId: IdSchema,
  conversationId: IdSchema,
  senderId: IdSchema,
  type: MessageTypeSchema.default('text'),
  content: z.string().max(MAX_CONTENT_LENGTH),
  /** Default: the time of ingestion. */
  sentAt: EpochMsSchema.optional(),
  /** Required for direct conversations (the sender is added); ignored for groups, whose members at send time are the recipients. */
  recipients: z.array(IdSchema).min(1).max(MAX_DIRECT_RECIPIENTS).optional(),
  /** User ids mentioned (`@name`); `is:mentioned` finds the message for them. */
  mentions: z.array(IdSchema).max(MAX_MENTIONS).optional(),
  /** `@all`: every recipient is mentioned. */
  mentionAll: z.boolean().default(false).optional(),
  attachments: z.array(AttachmentSchema).max(MAX_ATTACHMENTS).optional(),
})
export type MessageInput = z.infer<typeof MessageInputSchema>
