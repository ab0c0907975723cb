/**
 * The production build (issue #14): `npm run build` compiles to `dist/` and `npm run start:prod`
 * runs it with `npm start`'s Node flags and without the TypeScript loader, so start-up compiles no TypeScript (an
 * import of a `.ts` file would fail). The build is incremental: a rebuild takes seconds.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { killLeftovers, ROOT, startService } from './service-process.ts'

const run = promisify(execFile)
afterEach(killLeftovers)

describe('npm run build, then npm run start:prod', () => {
  it('builds dist/, starts it with the fixtures, answers (also to the built client), and stops on SIGTERM', {
    timeout: 180_000,
  }, async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT })
    // The fixtures are read from the working directory at start, as in development.
    const service = await startService({ IMSEARCH_FIXTURES: 'fixtures/' }, 'dist')
    service.child.stdout.resume()
    service.child.stderr.resume()
    try {
      expect((await fetch(`${service.url}healthz`)).status).toBe(200)
      const ready = await fetch(`${service.url}readyz`)
      expect(ready.status).toBe(200)
      // The fixtures resolved: the messages index is not empty.
      const metrics = await (await fetch(`${service.url}metrics`)).text()
      expect(Number(/index_documents\{index="messages"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0)
      // The package's `im-search/client` export, built, from a plain Node process.
      const script = `const { createClient } = await import('im-search/client')
        const res = await createClient(process.argv[1]).readyz.$get()
        console.log(JSON.stringify({ status: res.status, body: await res.json() }))`
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, service.url], {
        cwd: ROOT,
      })
      expect(JSON.parse(stdout)).toEqual({ status: 200, body: { status: 'ready' } })
    } finally {
      service.kill('SIGTERM')
    }
    expect(await service.exited).toMatchObject({ code: 0, signal: null })
  })
})
