import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { typescriptLoader } from '../../loader/index.ts'
import { serve } from '../../src/http/server.ts'
import { deferred } from '../support/deferred.ts'
import { captureLogs, testApp } from './support.ts'

describe('serve', () => {
  it('listens, answers, and on close finishes in-flight requests before onShutdown', async () => {
    const { app } = testApp()
    const gate = deferred()
    const handling = deferred()
    const events: string[] = []
    app.get('/slow', async (c) => {
      handling.resolve()
      await gate.promise
      events.push('handler done')
      return c.json({ finished: true })
    })
    const running = serve(
      app,
      { host: '127.0.0.1', port: 0 },
      {
        logger: captureLogs().logger,
        handleSignals: false,
        onShutdown: () => {
          events.push('onShutdown')
        },
      },
    )
    const url = await running.url
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect((await fetch(`${url}healthz`)).status).toBe(200)

    const inFlight = fetch(`${url}slow`).then(async (res) => {
      // Answers during the shutdown close their connection, so clients stop reusing it.
      expect(res.headers.get('connection')).toBe('close')
      return res.json()
    })
    // Closed once the request is in the handler (however long the machine takes to get it there).
    await handling.promise
    const closed = running.close()
    expect(running.shuttingDown).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await expect(fetch(`${url}healthz`)).rejects.toThrow()
    gate.resolve()
    expect(await inFlight).toEqual({ finished: true })
    await closed
    expect(events).toEqual(['handler done', 'onShutdown'])
    // close() is idempotent.
    await running.close()
  })

  it('rejects url when the port is taken', async () => {
    const { app } = testApp()
    const first = serve(
      app,
      { host: '127.0.0.1', port: 0 },
      { logger: captureLogs().logger, handleSignals: false },
    )
    const port = Number(new URL(await first.url).port)
    const second = serve(
      app,
      { host: '127.0.0.1', port },
      { logger: captureLogs().logger, handleSignals: false },
    )
    await expect(second.url).rejects.toMatchObject({ code: 'EADDRINUSE' })
    await first.close()
  })

  it('on SIGTERM finishes the in-flight request, runs onShutdown and exits 0', async () => {
    const script = fileURLToPath(new URL('./child/serve-child.ts', import.meta.url))
    const child = spawn(process.execPath, [...typescriptLoader, script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.setEncoding('utf8')
    const listening = new Promise<string>((resolve) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk
        const match = /listening (\S+)/.exec(stdout)
        if (match?.[1]) resolve(match[1])
      })
    })
    const url = await listening
    const inFlight = fetch(`${url}slow`)
    // Signalled once the request is in the handler (however long the machine takes to get it there).
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!stdout.includes('slow started')) return
        child.stdout.off('data', check)
        resolve()
      }
      child.stdout.on('data', check)
      check()
    })
    child.kill('SIGTERM')
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ finished: true })
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    expect(stdout).toContain('backend closed')
  }, 20_000)
})
