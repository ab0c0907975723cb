/** @module Response schemas shared by the resource routes, named for the OpenAPI document. */
import { z } from '@hono/zod-openapi'

export const TagOutSchema = z.object({ name: z.string(), weight: z.number() }).openapi('Tag')

export const AttachmentOutSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['file', 'image', 'video', 'audio']),
    size: z.number().int().optional().openapi({ description: 'Bytes.' }),
  })
  .openapi('Attachment')

export const MessageHitSchema = z
  .object({
    messageId: z.string(),
    conversationId: z.string(),
    sequenceId: z.number().int(),
    senderId: z.string(),
    senderName: z
      .string()
      .nullable()
      .openapi({ description: "The sender's current name; null when the sender no longer exists." }),
    type: z.string(),
    content: z.string(),
    sentAt: z.number().int(),
    mentions: z.array(z.string()).openapi({ description: 'Mentioned user ids.' }),
    mentionAll: z.boolean().openapi({ description: '`@all`: every recipient is mentioned.' }),
    attachments: z.array(AttachmentOutSchema),
    score: z.number(),
    highlight: z.string().openapi({ description: 'The content, HTML-escaped, each match in `<em>…</em>`.' }),
  })
  .openapi('MessageHit')

export const HistoryMessageSchema = MessageHitSchema.omit({
  score: true,
  highlight: true,
  senderName: true,
}).openapi('HistoryMessage')

export const FacetValueSchema = z.object({ value: z.string(), count: z.number().int() }).openapi('FacetValue')

export const UserHitSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    tags: z.array(TagOutSchema),
    score: z.number(),
    distance: z.number().optional().openapi({ description: 'Metres from `near`, rounded to 100.' }),
  })
  .openapi('UserHit')

export const GroupHitSchema = UserHitSchema.omit({ userId: true })
  .extend({ groupId: z.string(), memberCount: z.number().int() })
  .openapi('GroupHit')

export const ContactHitSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    nickname: z.string().optional(),
    addedAt: z.number().int(),
    score: z.number(),
  })
  .openapi('ContactHit')

/** `{hits, total, nextCursor?}`: `nextCursor` is absent on the last page. */
export const pageOf = <T extends z.ZodTypeAny>(hit: T, name: string) =>
  z.object({ hits: z.array(hit), total: z.number().int(), nextCursor: z.string().optional() }).openapi(name)

export const MessageReceiptSchema = z
  .object({ messageId: z.string(), conversationId: z.string(), sequenceId: z.number().int() })
  .openapi('MessageReceipt')

/** A JSON response entry for `createRoute({ responses })`. */
export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})
