/**
 * @module Operations for admins: `POST /v1/admin/reindex`, `GET /v1/admin/reindex/{jobId}`,
 * `POST /v1/admin/reindex/{jobId}/cancel`, `GET /v1/admin/indexes`, `GET /v1/admin/queue`,
 * `POST /v1/admin/queue/retry`.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { INDEX_NAMES } from '../../query/index-schemas.ts'
import type { ServiceCalls } from '../../services/index.ts'
import { authorized } from '../auth.ts'
import { problemResponses } from '../problem.ts'
import { createRouter } from '../router.ts'
import { json } from './schemas.ts'

const IndexEnum = z.enum(['all', ...INDEX_NAMES])

const JobSchema = z
  .object({
    jobId: z.string(),
    index: z.string(),
    state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    processed: z.number().int(),
    total: z
      .number()
      .int()
      .openapi({ description: 'Documents expected: the live index sizes at the start.' }),
    startedAt: z.number().int(),
    finishedAt: z.number().int().optional(),
    error: z.string().optional(),
  })
  .openapi('ReindexJob')

const JobParams = z.object({ jobId: z.string().min(1).max(64) })

const startReindex = createRoute({
  method: 'post',
  path: '/admin/reindex',
  tags: ['admin'],
  summary: 'Rebuild an index (or all) from the records, without downtime',
  description:
    'The new generation is built beside the live one and swapped in atomically; searches answer from the old one meanwhile, and writes made meanwhile are in the new one. A second reindex of an index while one runs is a 409.',
  ...authorized('admin'),
  request: {
    body: { required: true, content: { 'application/json': { schema: z.object({ index: IndexEnum }) } } },
  },
  responses: {
    202: json(JobSchema, 'Started'),
    ...problemResponses(400, 401, 403, 409, 413, 415, 429, 503),
  },
})

const getJob = createRoute({
  method: 'get',
  path: '/admin/reindex/{jobId}',
  tags: ['admin'],
  summary: 'A reindex job and its progress',
  ...authorized('admin'),
  request: { params: JobParams },
  responses: { 200: json(JobSchema, 'The job'), ...problemResponses(400, 401, 403, 404, 429) },
})

const cancelJob = createRoute({
  method: 'post',
  path: '/admin/reindex/{jobId}/cancel',
  tags: ['admin'],
  summary: 'Stop a running reindex; the live index stays as it was',
  description:
    'A job another replica runs is asked to stop through the job store; the answer waits up to 5 s for it to stop and shows the job as it is then (still `running` if that replica has not stopped it yet).',
  ...authorized('admin'),
  request: { params: JobParams },
  responses: { 200: json(JobSchema, 'Cancelled'), ...problemResponses(400, 401, 403, 404, 409, 429) },
})

const listIndexes = createRoute({
  method: 'get',
  path: '/admin/indexes',
  tags: ['admin'],
  summary: 'The search indexes: document counts and the active generation',
  ...authorized('admin'),
  responses: {
    200: json(
      z
        .object({
          indexes: z.array(
            z.object({
              index: z.string(),
              documents: z.number().int(),
              generation: z.number().int(),
              rebuilding: z.boolean(),
            }),
          ),
        })
        .openapi('IndexList'),
      'Indexes',
    ),
    ...problemResponses(401, 403, 429, 503),
  },
})

const QueueSchema = z
  .object({
    topics: z.array(
      z.object({
        topic: z.string(),
        enqueued: z.number().int(),
        checkpoint: z.number().int(),
        lag: z.number().int(),
        retries: z.number().int(),
        repairsPending: z.number().int().openapi({
          description: 'Tasks with a failed attempt, waiting to run once more against late writes',
        }),
      }),
    ),
    deadLetters: z.array(
      z.object({
        topic: z.string(),
        id: z.string(),
        attempts: z.number().int(),
        error: z.string(),
        failedAt: z.number().int(),
      }),
    ),
  })
  .openapi('IndexQueue')

const queueStatus = createRoute({
  method: 'get',
  path: '/admin/queue',
  tags: ['admin'],
  summary: 'The indexing queue: per index, tasks submitted, the checkpoint, lag, retries; dead letters',
  ...authorized('admin'),
  responses: { 200: json(QueueSchema, 'Queue status'), ...problemResponses(401, 403, 429) },
})

const retryDeadLetters = createRoute({
  method: 'post',
  path: '/admin/queue/retry',
  tags: ['admin'],
  summary: 'Submit every dead letter again; those that fail again return to the list',
  ...authorized('admin'),
  responses: {
    200: json(
      z.object({ retried: z.number().int(), succeeded: z.number().int() }).openapi('RetryResult'),
      'Retried',
    ),
    ...problemResponses(401, 403, 429),
  },
})

export function adminRoutes(services: ServiceCalls) {
  const { reindexer } = services
  return createRouter()
    .openapi(startReindex, async (c) => {
      const { index } = c.req.valid('json')
      return c.json(await reindexer.start(index), 202)
    })
    .openapi(getJob, async (c) => c.json(await reindexer.get(c.req.valid('param').jobId), 200))
    .openapi(cancelJob, async (c) => c.json(await reindexer.cancel(c.req.valid('param').jobId), 200))
    .openapi(listIndexes, async (c) => c.json({ indexes: await reindexer.indexes() }, 200))
    .openapi(queueStatus, async (c) => c.json(await services.queue.status(), 200))
    .openapi(retryDeadLetters, async (c) => c.json(await services.queue.retryDeadLetters(), 200))
}
