/**
 * @module One process at a time owns an embedded data dir: the service, or `npm run backup` when
 * no service runs. The owner listens on a local socket named after the data dir; another process
 * asks it (a backup) or waits, and never opens the LMDB environment itself.
 *
 * Why: the LMDB that lmdb-js 3 builds stores, at every environment open, the transaction id of the
 * meta page it has just read into the shared lock region (`mdb_env_open2`:
 * `me_txns->mti_txnid = meta.mm_txnid`; upstream LMDB does so only under the exclusive lock of the
 * first opener). A process that opens the environment while another one commits can so set that id
 * back; the writer's next transaction then starts from the older meta page and overwrites the
 * committed one. An acknowledged write is gone: `test/adapters/lmdb-backup.test.ts` caught the
 * live store itself missing a message (its change sequence skipped one) after `npm run backup`
 * opened it read-only from a second process, about once in 60 runs beside a disk-syncing load.
 *
 * The socket is `owner.sock` in the data dir (see {@link ownerAddress}); one nobody answers on was
 * left by an owner that died (`kill -9`) and is replaced.
 */
import { createHash } from 'node:crypto'
import { realpathSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'

export type OwnerRole = 'service' | 'backup'

export interface Owner {
  role: OwnerRole
  pid: number
}

/** A copy the owner wrote. */
export interface CopyResult {
  /** The snapshot file, `data.mdb` in the target directory. */
  file: string
  bytes: number
}

/** A refused backup (bad target, another backup running): the CLI's exit code 2, not a crash. */
export class BackupError extends Error {
  override name = 'BackupError'
}

/** The longest socket path every platform takes (`sun_path` is 104 bytes on macOS, 108 on Linux). */
const MAX_SOCKET_PATH = 100

/** How long a backup waits for an owner that is opening its store, and how often it asks. */
const STARTING_PATIENCE_MS = 30_000
const RETRY_MS = 100

const OwnerSchema = z.object({ role: z.enum(['service', 'backup']), pid: z.number().int() })
const BackupRequestSchema = z.object({ to: z.string().min(1) })
const BackupAnswerSchema = z.union([
  z.object({ file: z.string(), bytes: z.number() }),
  z.object({ error: z.string(), refused: z.boolean(), retry: z.boolean().optional() }),
])

/** A claim on a data dir: the owner's socket, answering who owns it and, once set, backups. */
export class DataDirClaim {
  #server: Server
  #backup: ((target: string) => Promise<CopyResult>) | undefined
  #stopping = false
  readonly #running = new Set<Promise<unknown>>()

  constructor(server: Server, role: OwnerRole) {
    this.#server = server
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#answer(req, res, role).catch((error: unknown) =>
        reply(res, 500, { error: String(error), refused: false }),
      )
    })
  }

  /** Serves backups from now on (the owner's store is open). */
  serveBackups(backup: (target: string) => Promise<CopyResult>): void {
    this.#backup = backup
  }

  /** Refuses new backups and waits for those running: then the owner may close its store. */
  async stopServing(): Promise<void> {
    this.#stopping = true
    await Promise.allSettled(this.#running)
  }

  async #answer(req: IncomingMessage, res: ServerResponse, role: OwnerRole): Promise<void> {
    if (req.method === 'GET' && req.url === '/owner') return reply(res, 200, { role, pid: process.pid })
    if (req.method !== 'POST' || req.url !== '/backup')
      return reply(res, 404, { error: 'not found', refused: true })
    const parsed = BackupRequestSchema.safeParse(parseJson(await body(req)))
    if (!parsed.success) return reply(res, 400, { error: 'expected {"to": "<directory>"}', refused: true })
    if (this.#stopping) return reply(res, 503, { error: `the ${role} is stopping`, refused: false })
    if (!this.#backup)
      return reply(res, 503, { error: `the ${role} is starting`, refused: false, retry: true })
    const running = this.#backup(parsed.data.to)
    this.#running.add(running)
    try {
      reply(res, 200, await running)
    } catch (error) {
      const refused = error instanceof BackupError
      reply(res, refused ? 400 : 500, { error: refused ? error.message : String(error), refused })
    } finally {
      this.#running.delete(running)
    }
  }

  async release(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}

/**
 * Claims `dataDir` for `role`, or names its live owner. The directory must exist (its real path
 * names the socket, so two spellings of one directory meet).
 */
export async function claimDataDir(dataDir: string, role: OwnerRole): Promise<DataDirClaim | Owner> {
  const address = ownerAddress(dataDir)
  for (;;) {
    const server = createServer()
    const listening = await new Promise<boolean>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EADDRINUSE' ? resolve(false) : reject(error),
      )
      server.listen(address, () => resolve(true))
    })
    if (listening) {
      const claim = new DataDirClaim(server, role)
      // Two processes that found the same stale file may each have removed it and listened: the
      // one whose socket the path now reaches owns the data dir, the other steps back. (Closing,
      // Node removes the socket's file, by then the other's: a third process starting before the
      // owner stops would find none. So narrow a race, at a start right after a kill -9, is left.)
      const owner = await askOwner(address).catch(async (error: unknown) => {
        await claim.release()
        throw error
      })
      if (owner?.pid === process.pid) return claim
      await claim.release()
      continue
    }
    const owner = await askOwner(address)
    if (owner) return owner
    // A socket file nobody answers on was left by an owner that died (kill -9).
    rmSync(address, { force: true })
  }
}

/**
 * Asks the owner of `dataDir` for a backup into `target` (an absolute path, as the owner sees it);
 * while the owner is still opening its store, asks again.
 */
export async function requestBackup(dataDir: string, target: string): Promise<CopyResult> {
  for (const started = Date.now(); ; ) {
    const answer = await askForBackup(dataDir, target)
    if ('file' in answer) return answer
    if (answer.refused) throw new BackupError(answer.error)
    if (!answer.retry || Date.now() - started > STARTING_PATIENCE_MS)
      throw new Error(`the data dir's owner did not take the backup (${answer.status}): ${answer.error}`)
    await sleep(RETRY_MS)
  }
}

/** One request of {@link requestBackup}: the copy's result, or why the owner did not take it. */
export async function askForBackup(
  dataDir: string,
  target: string,
): Promise<CopyResult | { status: number; error: string; refused: boolean; retry?: boolean }> {
  const { status, body } = await call(ownerAddress(dataDir), 'POST', '/backup', { to: target })
  const parsed = BackupAnswerSchema.parse(body)
  return 'file' in parsed ? parsed : { status, ...parsed }
}

/** The owner answering on `address`, or undefined when none does. */
async function askOwner(address: string): Promise<Owner | undefined> {
  try {
    return OwnerSchema.parse((await call(address, 'GET', '/owner')).body)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return undefined
    throw error
  }
}

/**
 * `owner.sock` in the data dir: every process that reaches the directory meets there, a backup
 * run from another container mounting it included. A socket path is short (see
 * {@link MAX_SOCKET_PATH}): past it the socket is named after the directory's hash instead,
 * abstract on Linux (only processes of one network namespace meet there), in the temporary
 * directory elsewhere.
 */
function ownerAddress(dataDir: string): string {
  const real = realpathSync(dataDir)
  const inDir = join(real, 'owner.sock')
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH) return inDir
  const name = `im-search-data-dir-${createHash('sha256').update(real).digest('hex').slice(0, 32)}`
  return process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`)
}

function call(address: string, method: string, path: string, payload?: unknown) {
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    // A connection a call: a kept-alive one may reach an owner that has just let go of the data dir.
    const req = request({ socketPath: address, method, path, agent: false }, (res) => {
      body(res).then((text) => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }), reject)
    })
    req.once('error', reject)
    req.end(payload === undefined ? undefined : JSON.stringify(payload))
  })
}

async function body(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  // Decoded once: a character of a Chinese path may straddle two chunks.
  return Buffer.concat(chunks).toString('utf8')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value))
}
