/**
 * SIGTERM drains, and within its bound in every state (issue #14): a server left by a client that
 * sent hostile requests (half-sent bodies among them) and went away, with the pipes of its stdout
 * and stderr closed or never read, once ignored SIGTERM for over 25 s — pino's exit-time flush
 * retried its write for ever — and died only at a second signal. Each test waits for the exit event.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Pool } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { signToken } from '../../src/http/dev-tokens.ts'
import { JWT_SECRET, killLeftovers, type ServiceProcess, startService } from './service-process.ts'

/** The bound under test: requests get 1 s; `onShutdown` gets 5 s and the log flush 1 s at most. */
const SHUTDOWN_TIMEOUT_MS = 1_000
const WORST_CASE_MS = SHUTDOWN_TIMEOUT_MS + 5_000 + 1_000

const dirs: string[] = []
afterEach(killLeftovers)
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** Opens a socket, writes `text`, and leaves it as it is. */
function leaveOpen(port: number, text: string): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text, () => resolve(socket)))
    socket.on('error', () => {})
  })
}

/**
 * What a hostile client run leaves behind: enough answered requests to fill a 64 KiB pipe with
 * access-log lines, then sockets stuck in every state a request can stop in.
 */
async function hostileClientRun(service: ServiceProcess): Promise<Socket[]> {
  const pool = new Pool(service.url, { connections: 4 })
  await Promise.all(
    Array.from({ length: 4 }, async (_, worker) => {
      for (let i = 0; i < 150; i++) {
        const answer = await pool.request({ path: `/v1/nowhere/${worker}-${i}`, method: 'GET' })
        await answer.body.dump()
      }
    }),
  )
  await pool.close()
  const port = Number(new URL(service.url).port)
  const post = 'POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n'
  return Promise.all([
    // Half-sent bodies, announced and chunked.
    leaveOpen(port, `${post}content-length: 1000\r\n\r\n{"messageId":`),
    leaveOpen(port, `${post}transfer-encoding: chunked\r\n\r\n10\r\n{"messageId":"m1"`),
    // A half-sent head, headers past the limit, a malformed request line.
    leaveOpen(port, `${post}x-a: b`),
    leaveOpen(port, `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
    leaveOpen(port, 'NOT HTTP AT ALL\r\n\r\n'),
    // An idle keep-alive connection.
    leaveOpen(port, 'GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'),
  ])
}

describe('SIGTERM exits within its bound whatever state the server is in (issue #14)', () => {
  const cases: { pipes: 'closed' | 'never read'; env: Record<string, string> }[] = [
    // In development the token banner is written after the "serving" line, into the closed pipe.
    { pipes: 'closed', env: { NODE_ENV: 'development', IMSEARCH_JWT_SECRET: '' } },
    { pipes: 'closed', env: {} },
    { pipes: 'never read', env: {} },
  ]
  for (const { pipes, env } of cases) {
    it(`after a hostile client run, with stdout and stderr ${pipes} (${env.NODE_ENV ?? 'production'})`, {
      timeout: 60_000,
    }, async () => {
      const service = await startService({
        ...env,
        IMSEARCH_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      })
      if (pipes === 'closed') {
        service.child.stdout.destroy()
        service.child.stderr.destroy()
      } else {
        service.child.stdout.pause()
        service.child.stderr.pause()
      }
      const sockets = await hostileClientRun(service)
      // The client goes away from half of what it left; the rest stays open.
      for (const socket of sockets.slice(0, 3)) socket.destroy()
      service.kill('SIGTERM')
      // Never leave a hung child behind: past the bound (and a margin for a busy machine) it is killed.
      const guard = setTimeout(() => service.child.kill('SIGKILL'), WORST_CASE_MS + 10_000)
      const exit = await service.exited
      clearTimeout(guard)
      for (const socket of sockets) socket.destroy()
      expect(exit).toMatchObject({ code: 0, signal: null })
      expect(exit.msAfterKill).toBeLessThan(WORST_CASE_MS)
    })
  }
})

describe('a second signal', () => {
  it('exits 1 at once, without waiting for the shutdown bound', { timeout: 60_000 }, async () => {
    // A bound no test waits out, and a request that holds the drain until it.
    const service = await startService({ IMSEARCH_SHUTDOWN_TIMEOUT_MS: '600000' })
    service.child.stderr.resume()
    const port = Number(new URL(service.url).port)
    const held = await leaveOpen(
      port,
      'POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{',
    )
    const draining = new Promise<void>((resolve) => {
      let out = ''
      service.child.stdout.on('data', (chunk: string) => {
        out += chunk
        if (out.includes('shutting down')) resolve()
      })
    })
    service.kill('SIGTERM')
    await draining
    service.kill('SIGINT')
    const exit = await service.exited
    held.destroy()
    expect(exit).toMatchObject({ code: 1, signal: null })
  })
})

describe('SIGTERM under load (issue #14)', () => {
  it('no 5xx, exit 0, and every acknowledged write is there after a restart', {
    timeout: 120_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'imsearch-shutdown-'))
    dirs.push(dataDir)
    const auth = `Bearer ${await signToken({ secret: JWT_SECRET, sub: 'ingestor', scopes: ['ingest', 'search'] })}`
    const bob = `Bearer ${await signToken({ secret: JWT_SECRET, sub: 'bob', scopes: ['search'] })}`
    const message = (id: string) => ({
      messageId: id,
      conversationId: 'dm:alice:bob',
      senderId: 'alice',
      content: `关机时的消息 message sent during shutdown ${id}`,
      recipients: ['bob'],
    })
    const post = (pool: Pool, id: string) =>
      pool.request({
        path: '/v1/messages',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify(message(id)),
      })

    const service = await startService({ IMSEARCH_DATA_DIR: dataDir })
    service.child.stdout.resume()
    service.child.stderr.resume()
    const pool = new Pool(service.url, { connections: 10 })
    const acknowledged: string[] = []
    const statuses = new Map<number, number>()
    let signalled = false
    /** Runs `send` until the server stops answering after the signal; counts every status. */
    const client = async (name: string, send: (i: number) => Promise<number>) => {
      for (let i = 0; ; i++) {
        try {
          const status = await send(i)
          statuses.set(status, (statuses.get(status) ?? 0) + 1)
        } catch {
          // Refused or closed once the server stopped accepting: this client is done.
          if (signalled) return
          throw new Error(`${name} failed before the signal`)
        }
        // SIGTERM mid-run, once the writers are well under way.
        if (!signalled && acknowledged.length >= 200) {
          signalled = true
          service.kill('SIGTERM')
        }
      }
    }
    const writers = Array.from({ length: 8 }, (_, writer) =>
      client(`writer ${writer}`, async (i) => {
        const answer = await post(pool, `w${writer}-${i}`)
        await answer.body.dump()
        if (answer.statusCode === 201) acknowledged.push(`w${writer}-${i}`)
        return answer.statusCode
      }),
    )
    const readers = Array.from({ length: 2 }, (_, reader) =>
      client(`reader ${reader}`, async () => {
        const answer = await pool.request({
          path: `/v1/search/messages?q=${encodeURIComponent('关机')}`,
          method: 'GET',
          headers: { authorization: bob },
        })
        await answer.body.dump()
        return answer.statusCode
      }),
    )
    await Promise.all([...writers, ...readers])
    await pool.destroy()
    const exit = await service.exited
    expect(exit).toMatchObject({ code: 0, signal: null })
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([])
    expect(statuses.get(200)).toBeGreaterThan(0)
    expect(acknowledged.length).toBeGreaterThanOrEqual(200)

    // Restarted on the same data dir, the same messages again are "already stored" (200), never new (201).
    const again = await startService({ IMSEARCH_DATA_DIR: dataDir })
    again.child.stdout.resume()
    again.child.stderr.resume()
    const check = new Pool(again.url, { connections: 4 })
    try {
      const lost: string[] = []
      for (const id of acknowledged) {
        const answer = await post(check, id)
        await answer.body.dump()
        if (answer.statusCode !== 200) lost.push(`${id}: ${answer.statusCode}`)
      }
      expect(lost).toEqual([])
    } finally {
      await check.destroy()
      again.kill('SIGTERM')
      expect((await again.exited).code).toBe(0)
    }
  })
})
