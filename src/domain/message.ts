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
})
export type MessageInput = z.infer<typeof MessageInputSchema>
