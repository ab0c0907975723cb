/**
 * @module `npm run reindex -- --index messages`: starts a reindex on a running service through its
 * admin API and follows it with a progress bar (rate and ETA) on stderr; Ctrl-C cancels the job.
 * The job runs in the service, whose indexes it rebuilds; this command only drives and watches it.
 */
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.ts'
import { signToken } from '../http/dev-tokens.ts'
import type { ReindexJob } from '../ports/job-store.ts'
import { INDEX_NAMES } from '../query/index-schemas.ts'
import { renderProgress } from './progress-bar.ts'

const TARGETS = [...INDEX_NAMES, 'all']
const USAGE = `Usage: npm run reindex -- --index <${TARGETS.join('|')}> [--url http://127.0.0.1:8080] [--token TOKEN]

Rebuilds a search index of a running im-search without downtime and shows the progress.
  --index  which index to rebuild (required)
  --url    the service (default: http://HOST:PORT from the environment, i.e. http://127.0.0.1:8080)
  --token  an admin bearer token (default: one minted with IMSEARCH_JWT_SECRET)`

const POLL_MS = 250

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string' },
      url: { type: 'string' },
      token: { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (!values.index || !TARGETS.includes(values.index)) {
    console.error(`--index must be one of ${TARGETS.join(', ')}\n\n${USAGE}`)
    return 2
  }
  const config = loadConfig()
  const base = (values.url ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '')
  let token = values.token
  if (!token) {
    const secret = config.auth.jwtSecret
    if (!secret) {
      console.error("give --token, or set IMSEARCH_JWT_SECRET to the service's secret")
      return 2
    }
    token = await signToken({ secret, sub: 'reindex-cli', scopes: ['admin'], expiresIn: '1h' })
  }
  const call = async (method: string, path: string, body?: unknown): Promise<ReindexJob> => {
    const res = await fetch(`${base}/v1/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const payload = (await res.json()) as ReindexJob & { detail?: string }
    if (!res.ok) throw new Error(`${res.status}: ${payload.detail ?? res.statusText}`)
    return payload
  }

  let job = await call('POST', '/reindex', { index: values.index })
  console.error(`reindex ${job.jobId} of ${job.index} started`)
  const cancel = () => {
    console.error('\ncancelling…')
    void call('POST', `/reindex/${job.jobId}/cancel`).catch(() => {})
  }
  process.once('SIGINT', cancel)
  const tty = process.stderr.isTTY
  while (job.state === 'running') {
    await new Promise((r) => setTimeout(r, POLL_MS))
    job = await call('GET', `/reindex/${job.jobId}`)
    const line = renderProgress({
      done: job.processed,
      total: job.total,
      elapsedMs: Date.now() - job.startedAt,
    })
    process.stderr.write(tty ? `\r${line}` : `${line}\n`)
  }
  process.off('SIGINT', cancel)
  const seconds = ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000
  console.error(
    `\n${job.state}: ${job.processed.toLocaleString('en-US')} documents in ${seconds.toFixed(1)}s${job.error ? ` (${job.error})` : ''}`,
  )
  console.log(JSON.stringify(job))
  return job.state === 'succeeded' ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
