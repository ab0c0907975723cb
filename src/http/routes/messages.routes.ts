/**
 * @module Messages: `POST /v1/messages` (idempotent by id), `POST /v1/messages/batch`,
 * `DELETE /v1/messages/{messageId}` (recall), and the history of a conversation.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { IdSchema, type MessageInput, MessageInputSchema } from '../../domain/index.ts'
import { errorOfRefusal } from '../../services/errors.ts'
import type { ServiceCalls } from '../../services/index.ts'
import { authorized } from '../auth.ts'
import { toProblemError } from '../error-handler.ts'
import { ProblemError, ProblemSchema, problemFromZod, problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import { limitParam } from './params.ts'
import { HistoryMessageSchema, json, MessageReceiptSchema } from './schemas.ts'

/** Items per batch request: large enough for fan-in, small enough to answer within a second. */
export const MAX_BATCH = 500

const postMessage = createRoute({
  method: 'post',
  path: '/messages',
  tags: ['ingestion'],
  summary: 'Ingest a message',
  description:
    'In a known group, the recipients are its members at send time and the sender must be one (else 403); otherwise `recipients` is required and the sender is added. The same `messageId` again answers 200 with the same receipt; with different content, 409.',
  ...authorized('ingest'),
  request: { body: { required: true, content: { 'application/json': { schema: MessageInputSchema } } } },
  responses: {
    200: json(MessageReceiptSchema, 'Already stored: the same receipt'),
    201: json(MessageReceiptSchema, 'Stored'),
    ...problemResponses(400, 401, 403, 409, 413, 415, 429, 503, 507),
  },
})

const BatchResultSchema = z
  .object({
    status: z.number().int().openapi({ description: '201 stored, 200 already stored, or the error status.' }),
    receipt: MessageReceiptSchema.optional(),
    problem: ProblemSchema.optional(),
  })
  .openapi('BatchResult')

const postBatch = createRoute({
  method: 'post',
  path: '/messages/batch',
  tags: ['ingestion'],
  summary: `Ingest up to ${MAX_BATCH} messages; one result per item, in order`,
  description: 'Each item succeeds or fails on its own, with the status and body it would get alone.',
  ...authorized('ingest'),
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            messages: z
              .array(z.unknown().openapi({ description: 'A message, as the body of POST /v1/messages.' }))
              .min(1)
              .max(MAX_BATCH),
          }),
        },
      },
    },
  },
  responses: {
    200: json(
      z.object({ results: z.array(BatchResultSchema) }).openapi('BatchResults'),
      'Results in item order',
    ),
    ...problemResponses(400, 401, 403, 413, 415, 429, 503, 507),
  },
})

const recall = createRoute({
  method: 'delete',
  path: '/messages/{messageId}',
  tags: ['ingestion'],
  summary: 'Recall a message: gone from search, counts and history for everyone',
  ...authorized('ingest'),
  request: { params: z.object({ messageId: IdSchema }) },
  responses: { 204: { description: 'Recalled' }, ...problemResponses(400, 401, 403, 404, 429, 503, 507) },
})

const history = createRoute({
  method: 'get',
  path: '/conversations/{conversationId}/messages',
  tags: ['directory'],
  summary: "A conversation's messages the caller can see, newest first",
  description:
    "The seeds' history scan: 30 a page by default; `before` (a sequence id) pages back. `around` opens a hit in context: the message with that sequence id and those around it. A conversation with no message the caller can see is a 404.",
  ...authorized('search'),
  request: {
    params: z.object({ conversationId: IdSchema }),
    query: z.object({
      before: z.coerce.number().int().min(0).optional(),
      around: z.coerce.number().int().min(0).optional(),
      limit: limitParam(30),
    }),
  },
  responses: {
    200: json(
      z
        .object({
          hits: z.array(HistoryMessageSchema),
          nextBefore: z
            .number()
            .int()
            .optional()
            .openapi({ description: 'Pass as `before` for older messages.' }),
          nextAfter: z
            .number()
            .int()
            .optional()
            .openapi({ description: 'With `around`: newer messages exist after this sequence id.' }),
        })
        .openapi('HistoryPage'),
      'A page of history',
    ),
    ...problemResponses(400, 401, 403, 404, 429, 503),
  },
})

export function messageRoutes(services: ServiceCalls) {
  return createRouter()
    .openapi(postMessage, async (c) => {
      const { receipt, created } = await services.ingestion.postMessage(c.req.valid('json'))
      return created ? c.json(receipt, 201) : c.json(receipt, 200)
    })
    .openapi(postBatch, async (c) => {
      const items = c.req.valid('json').messages.map((item, i) => {
        const parsed = MessageInputSchema.safeParse(item)
        return parsed.success ? parsed.data : problemFromZod(parsed.error, `messages[${i}]`)
      })
      const valid = items.filter((item): item is MessageInput => !(item instanceof ProblemError))
      // One store write for the valid items, with the rules of one at a time in order (the same id
      // twice is a replay); a backend failure fails the request, which the client retries whole.
      const outcomes = (await services.ingestion.postMessages(valid)).values()
      const results = items.map((item) => {
        if (item instanceof ProblemError) return { status: item.status, problem: item.toDocument() }
        const next = outcomes.next().value
        if (next && 'outcome' in next) {
          const { receipt, created } = next.outcome
          return { status: created ? 201 : 200, receipt }
        }
        const problem = toProblemError(next && errorOfRefusal(next.refusal))
        return { status: problem.status, problem: problem.toDocument() }
      })
      return c.json({ results }, 200)
    })
    .openapi(recall, async (c) => {
      await services.ingestion.recallMessage(c.req.valid('param').messageId)
      return c.body(null, 204)
    })
    .openapi(history, async (c) => {
      const { conversationId } = c.req.valid('param')
      const { before, around, limit } = c.req.valid('query')
      const caller = c.get('caller').userId
      const page =
        around === undefined
          ? await services.history.page(caller, conversationId, before, limit)
          : await services.history.around(caller, conversationId, around, limit)
      return c.json(page, 200)
    })
}
