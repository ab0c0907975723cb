/**
 * @module A child process for the full-disk test: the HTTP app over an LMDB store in `<dir>`,
 * started by the parent under a file-size limit (`ulimit -f`; Node ignores SIGXFSZ, so a write
 * past the limit fails with a short write instead of killing the process), which is what a full
 * disk looks like to LMDB. It posts messages until one is refused, then checks what still works,
 * printing one JSON line per request: `{step, id?, status, body}`.
 */
import { createMemoryBackend } from '../../adapters/memory/index.ts'
import { LmdbRecordStore } from '../../adapters/memory/lmdb-record-store.ts'
import { buildApp } from '../../src/build-app.ts'
import type { Scope } from '../../src/http/context.ts'
import { signToken } from '../../src/http/dev-tokens.ts'
import { createLogger } from '../../src/logger.ts'

const [dir] = process.argv.slice(2)
if (!dir) throw new Error('usage: full-disk-child.ts <dir>')
const SECRET = 'full-disk-secret-0123456789-abcdefghijkl'
const store = new LmdbRecordStore(dir)
const { app } = buildApp({
  config: { auth: { jwtSecret: SECRET }, rateLimitPerMinute: undefined, cursorSecret: 'disk' },
  logger: createLogger({ level: 'silent' }),
  store,
  backend: createMemoryBackend(),
})

async function call(step: string, method: string, path: string, as: string, scope: Scope, body?: unknown) {
  const res = await app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${await signToken({ secret: SECRET, sub: as, scopes: [scope] })}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  const reply = {
    step,
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: text.startsWith('{') ? JSON.parse(text) : text,
  }
  process.stdout.write(`${JSON.stringify(reply)}\n`)
  return reply
}

/** Han characters from a fixed xorshift sequence: barely compressible, the same every run. */
let seed = 2463534242
function content(chars: number): string {
  let out = ''
  for (let i = 0; i < chars; i++) {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    out += String.fromCharCode(0x4e00 + ((seed >>> 0) % 20000))
  }
  return out
}

const post = (step: string, messageId: string, text: string) =>
  call(step, 'POST', '/v1/messages', 'ingestor', 'ingest', {
    messageId,
    conversationId: 'g1',
    senderId: 'u1',
    content: `磁盘 ${text}`,
  })

await call('setup', 'PUT', '/v1/groups/g1', 'ingestor', 'ingest', { name: '磁盘测试', ownerId: 'u1' })
await call('setup', 'PUT', '/v1/groups/g1/members/u2', 'ingestor', 'ingest')
const texts = new Map<string, string>()
for (let i = 0; ; i++) {
  const id = `m${i}`
  texts.set(id, content(3000))
  const reply = await post('fill', id, texts.get(id) as string)
  if (reply.status !== 201) break
}
// The disk is still full: the next large write is refused the same way.
await post('again', 'm-again', content(3000))
// Reads go on, and a resubmission of an acknowledged message is answered from the store.
await call('history', 'GET', '/v1/conversations/g1/messages?limit=100', 'u2', 'search')
await call('search', 'GET', `/v1/search/messages?q=${encodeURIComponent('磁盘')}&limit=5`, 'u2', 'search')
await post('resubmit', 'm0', texts.get('m0') as string)
await store.close()
process.stdout.write('{"step":"done"}\n')
