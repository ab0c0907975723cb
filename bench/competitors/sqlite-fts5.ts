/**
 * @module SQLite FTS5, what most IM clients' local search runs on, set up as a careful engineer
 * would for this job, in a database file (an embedded user's SQLite keeps its index on disk):
 *
 * - **Tokens.** Content is pre-tokenised with our analyzer (src/text/analyzer.ts: NFKC,
 *   lower-case, one token per CJK character, runs of other letters and digits) and indexed as
 *   those tokens separated by spaces, with FTS5's `ascii` tokenizer, which splits only on ASCII
 *   non-alphanumerics and keeps every other character: our tokens hold no ASCII punctuation, so
 *   FTS5 sees exactly our tokens. A query term becomes an FTS5 phrase of its tokens ("上 海"), which
 *   matches a contiguous token sequence: our matching rule exactly, so totals are exact. The
 *   trigram tokenizer was rejected: it matches substrings, not token sequences (`jw` would find
 *   JWT, which the rule forbids, and 解析pdf would not find 解析 PDF), and a term of fewer than
 *   three characters (今天, 测) cannot use its index at all, while two-character words are the
 *   commonest Chinese queries.
 * - **Recipients.** Each distinct recipient list is stored once: `members(user, list)`, keyed by
 *   user, and each message names its list. A table of (message, user) rows would hold every
 *   message's recipients again, where a list is shared by every message sent to the same members:
 *   at 200,000 messages, 20.2 million (message, user) rows against 3.4 million member rows (see
 *   bench/README.md). The caller's lists are one key range; SQLite materialises them once per
 *   query and probes each candidate's list in that set.
 * - **Ids.** Users and conversations are interned to integers (tables `users`, `conversations`),
 *   as a client's schema would; the caller's and the conversation's ids are resolved inside the
 *   query.
 * - **Queries.** The FTS5 table drives (CROSS JOIN keeps the planner from scanning messages
 *   first), each match is joined to its row by rowid, and the permission is that row's list in the
 *   caller's set; ranking is FTS5's `bm25()` (k1 1.2, b 0.75, as ours, but per phrase and with
 *   IDF log((N − n + 0.5)/(n + 0.5)) where ours adds 1 inside the log: close, not equal), ties
 *   newest first. Filter-only is an index range on (conversation, sent_at), newest first. Totals
 *   are exact: `count(*) OVER ()` in the same statement.
 * - **Build.** Rows inserted in transactions of {@link BATCH}; after the last, the FTS5 segments
 *   are merged (`optimize`), the conversation index is created and `ANALYZE` runs (a bulk import
 *   done right); WAL with `synchronous=NORMAL`. Queries then read a warm page cache and mmap.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tokenize } from '../../src/text/analyzer.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'
import type { CorpusMessage } from '../corpus/index.ts'
import type { CompareAnswer, CompareQuery, Competitor, StoreSize } from './engine.ts'
import type { SqliteDatabase, SqliteOpen, SqliteStatement } from './sqlite-driver.ts'

/** Rows per transaction while building. */
const BATCH = 10_000
const PAGE = 20

const SCHEMA = `
  CREATE TABLE users (id INTEGER PRIMARY KEY, user_id TEXT NOT NULL UNIQUE);
  CREATE TABLE conversations (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL UNIQUE);
  CREATE TABLE members (user INTEGER NOT NULL, list INTEGER NOT NULL, PRIMARY KEY (user, list)) WITHOUT ROWID;
  CREATE TABLE messages (
    id INTEGER PRIMARY KEY, conversation INTEGER NOT NULL, list INTEGER NOT NULL,
    sent_at INTEGER NOT NULL, content TEXT NOT NULL
  );
  CREATE VIRTUAL TABLE fts USING fts5(tokens, tokenize = 'ascii', content = '');
`

const CALLER_LISTS =
  'm.list IN (SELECT list FROM members WHERE user = (SELECT id FROM users WHERE user_id = $user))'
const IN_CONVERSATION =
  'm.conversation = (SELECT id FROM conversations WHERE conversation_id = $conversation)'

/**
 * The SQL of one query shape: its first page, each row carrying the exact total (`count(*) OVER
 * ()`, computed over every match before the LIMIT). One statement visits the matches once, where a
 * page query and a `count(*)` query visit them twice (the single statement took 0.3 to 0.8 of their
 * time in 8 of 9 alternating rounds of 今天, coffee and filter-only at 50,000 messages, on a
 * shared machine; 1.9 in the ninth). The ranked shape sorts outside a subquery: FTS5's `bm25()`
 * may not be called in a window's query itself.
 */
function statement(text: boolean, conversation: boolean): string {
  const where = [CALLER_LISTS, ...(conversation ? [IN_CONVERSATION] : [])].join(' AND ')
  return text
    ? `SELECT id, count(*) OVER () AS total FROM (
         SELECT m.id AS id, bm25(fts) AS score, m.sent_at AS sent_at
         FROM fts CROSS JOIN messages m ON m.id = fts.rowid WHERE fts MATCH $match AND ${where}
       ) ORDER BY score, sent_at DESC, id DESC LIMIT ${PAGE}`
    : `SELECT m.id AS id, count(*) OVER () AS total FROM messages m WHERE ${where}
       ORDER BY m.sent_at DESC, m.id DESC LIMIT ${PAGE}`
}

/** A query's terms as an FTS5 expression: each term a phrase of its tokens, all required. */
export function fts5Match(q: string): string | undefined {
  const terms = parseQueryTerms(q)
  if (terms.length === 0) return undefined
  // Tokens hold no `"` (they are letters, marks and digits), so no quoting beyond the phrase's.
  return terms.map((t) => `"${t.tokens.join(' ')}"`).join(' AND ')
}

/** The integer of an id, inserting the pair into its table the first time the id is seen. */
function interned(numbers: Map<string, number>, id: string, insert: SqliteStatement): number {
  let n = numbers.get(id)
  if (n === undefined) {
    n = numbers.size
    numbers.set(id, n)
    insert.run(n, id)
  }
  return n
}

export class SqliteFts5 implements Competitor {
  readonly name = 'sqlite-fts5'
  readonly setup: string
  readonly #dir = mkdtempSync(join(tmpdir(), 'im-search-bench-sqlite-'))
  readonly #db: SqliteDatabase
  readonly #insertMessage: SqliteStatement
  readonly #insertTokens: SqliteStatement
  readonly #insertUser: SqliteStatement
  readonly #insertMember: SqliteStatement
  readonly #insertConversation: SqliteStatement
  /** Build-only: the list number of each distinct recipient list (the corpus shares one array per list). */
  readonly #listNo = new Map<readonly string[], number>()
  /** Build-only interning of user and conversation ids to the integers the tables hold. */
  readonly #userNo = new Map<string, number>()
  readonly #conversationNo = new Map<string, number>()
  readonly #queries = new Map<string, SqliteStatement>()
  #pending = 0

  constructor(open: SqliteOpen, driverVersion: string) {
    this.#db = new open(join(this.#dir, 'search.db'))
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.pragma('cache_size = -262144') // 256 MiB of page cache
    this.#db.pragma('mmap_size = 2147418112') // the whole file, up to the build's 2 GiB limit
    this.#db.exec(SCHEMA)
    const version = this.#db.prepare('SELECT sqlite_version()').pluck().get() as string
    this.setup =
      `SQLite ${version} FTS5 (better-sqlite3 ${driverVersion}), a WAL database file: content pre-tokenised with src/text/analyzer, tokenize 'ascii', contentless; ` +
      'each query term an FTS5 phrase of its tokens (= our matching rule), terms ANDed; recipient lists stored once (members(user, list)), ' +
      'each message names its list, permission = list IN the caller’s lists; ranking FTS5 bm25() then newest; exact totals by count(*) OVER () in the same statement; ' +
      'filter-only = index (conversation, sent_at) newest first; bytes/message = JS heap only, the database is on disk (page cache native)'
    this.#insertMessage = this.#db.prepare(
      'INSERT INTO messages (id, conversation, list, sent_at, content) VALUES (?, ?, ?, ?, ?)',
    )
    this.#insertTokens = this.#db.prepare('INSERT INTO fts (rowid, tokens) VALUES (?, ?)')
    this.#insertUser = this.#db.prepare('INSERT INTO users (id, user_id) VALUES (?, ?)')
    this.#insertMember = this.#db.prepare('INSERT INTO members (user, list) VALUES (?, ?)')
    this.#insertConversation = this.#db.prepare(
      'INSERT INTO conversations (id, conversation_id) VALUES (?, ?)',
    )
  }

  add(doc: number, message: CorpusMessage): void {
    if (this.#pending === 0) this.#db.exec('BEGIN')
    let list = this.#listNo.get(message.recipients)
    if (list === undefined) {
      list = this.#listNo.size
      this.#listNo.set(message.recipients, list)
      for (const userId of message.recipients)
        this.#insertMember.run(interned(this.#userNo, userId, this.#insertUser), list)
    }
    const conversation = interned(this.#conversationNo, message.conversationId, this.#insertConversation)
    this.#insertMessage.run(doc, conversation, list, message.sentAt, message.content)
    this.#insertTokens.run(doc, tokenize(message.content).join(' '))
    if (++this.#pending === BATCH) this.#commit()
  }

  seal(): void {
    this.#commit()
    this.#listNo.clear()
    this.#userNo.clear()
    this.#conversationNo.clear()
    this.#db.exec(`
      INSERT INTO fts (fts) VALUES ('optimize');
      CREATE INDEX messages_by_conversation ON messages (conversation, sent_at);
      ANALYZE;
    `)
    this.#db.pragma('wal_checkpoint(TRUNCATE)')
  }

  storeSize(): StoreSize {
    const rows = this.#db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
      name: string
      bytes: number
    }[]
    const parts: Record<string, number> = {}
    for (const { name, bytes } of rows) {
      const part = name.startsWith('fts')
        ? 'full-text index'
        : name.startsWith('messages')
          ? 'messages'
          : name === 'members'
            ? 'recipient lists'
            : 'users, conversations, schema'
      parts[part] = (parts[part] ?? 0) + bytes
    }
    return { bytes: rows.reduce((sum, r) => sum + r.bytes, 0), parts }
  }

  search(query: CompareQuery): CompareAnswer {
    const match = query.q === undefined ? undefined : fts5Match(query.q)
    const conversation = query.conversationId !== undefined
    const shape = `${match !== undefined}/${conversation}`
    let prepared = this.#queries.get(shape)
    if (!prepared) {
      prepared = this.#db.prepare(statement(match !== undefined, conversation))
      this.#queries.set(shape, prepared)
    }
    const rows = prepared.all({
      user: query.userId,
      ...(match === undefined ? {} : { match }),
      ...(conversation ? { conversation: query.conversationId } : {}),
    }) as { id: number; total: number }[]
    return { hits: rows.map((r) => r.id), total: rows[0]?.total ?? 0 }
  }

  close(): void {
    this.#db.close()
    rmSync(this.#dir, { recursive: true, force: true })
  }

  #commit(): void {
    if (this.#pending === 0) return
    this.#db.exec('COMMIT')
    this.#pending = 0
  }
}
