/**
 * The SQLite FTS5 competitor answers by our matching rule and permission, exactly: its totals and
 * its hits equal the brute-force scan's (the bench's oracle, built on src/text/match-rule.ts) on
 * the README's examples and on random corpora of Chinese and English text. Runs when the
 * bench-only peer is installed (`npm --prefix bench/competitors/sqlite ci --build-from-source`);
 * without it, only that the bench says how to install it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BruteForce } from '../../bench/competitors/brute-force.ts'
import type { CompareQuery } from '../../bench/competitors/engine.ts'
import { ScanCorpus } from '../../bench/competitors/scan-corpus.ts'
import { INSTALL_HINT, loadSqlite } from '../../bench/competitors/sqlite-driver.ts'
import { fts5Match, SqliteFts5 } from '../../bench/competitors/sqlite-fts5.ts'
import type { CorpusMessage } from '../../bench/corpus/index.ts'

const driver = loadSqlite()

/**
 * Recipient lists shared between messages, as the corpus shares one array per distinct list; as
 * in the corpus, the ids are in id order and the indexes in another (join order), so nothing may
 * pair them up by position.
 */
const USERS = ['u0', 'u1', 'u2', 'u3']
const LISTS = [[1, 0], [2, 0, 1], [3, 2], [1]].map((idx) => ({
  idx: Int32Array.from(idx),
  ids: idx.map((i) => USERS[i] as string).sort(),
}))

function message(
  i: number,
  content: string,
  list: number,
  conversation: string,
  sentAt: number,
): CorpusMessage {
  const { idx, ids } = LISTS[list] as (typeof LISTS)[number]
  return {
    messageId: `m${i}`,
    conversationId: conversation,
    sequenceId: i,
    senderId: ids[0] as string,
    type: 'text',
    content,
    sentAt,
    conversationType: 'group',
    recipients: ids,
    recipientIdx: idx,
  }
}

/** Builds both on the same messages, runs `check`, and always deletes the database. */
function withBoth(
  messages: readonly CorpusMessage[],
  check: (sqlite: SqliteFts5, brute: BruteForce) => void,
) {
  if (!('open' in driver)) throw new Error(driver.unavailable)
  const scan = new ScanCorpus()
  const sqlite = new SqliteFts5(driver.open, driver.version)
  try {
    messages.forEach((m, doc) => {
      scan.add(m)
      sqlite.add(doc, m)
    })
    sqlite.seal()
    check(sqlite, new BruteForce(scan.sealed()))
  } finally {
    sqlite.close()
  }
}

describe('fts5Match', () => {
  it('makes each query term a phrase of its tokens, all terms required', () => {
    expect(fts5Match('上海')).toBe('"上 海"')
    expect(fts5Match('火锅 今晚')).toBe('"火 锅" AND "今 晚"')
    expect(fts5Match('"解析 PDF" jwt')).toBe('"解 析 pdf" AND "jwt"')
    expect(fts5Match(' -- ')).toBeUndefined()
  })
})

describe.runIf('unavailable' in driver)('without the SQLite peer', () => {
  it('says how to install it', () => {
    expect('unavailable' in driver && driver.unavailable).toContain(INSTALL_HINT)
  })
})

describe.runIf('open' in driver)('SQLite FTS5 competitor', () => {
  it('follows the README matching rules and the permission on its examples', () => {
    const messages = [
      message(0, '我家在上海东边', 0, 'c0', 1),
      message(1, '测试一下', 0, 'c0', 2),
      message(2, '认证系统使用JWT令牌', 1, 'c1', 3),
      message(3, '解析 PDF 文件', 1, 'c1', 4),
      message(4, 'Coffee at 上海 tonight?', 2, 'c2', 5),
    ]
    withBoth(messages, (sqlite) => {
      const total = (q: string | undefined, userId: string, conversationId?: string) =>
        sqlite.search({ q, userId, conversationId }).total
      expect(total('上海', 'u0')).toBe(1)
      expect(total('上海', 'u2')).toBe(1) // only the message sent to lists u2 is in
      expect(total('海上', 'u0')).toBe(0)
      expect(total('测', 'u0')).toBe(1)
      expect(total('jwt', 'u2')).toBe(1)
      expect(total('jw', 'u2')).toBe(0)
      expect(total('解析pdf', 'u0')).toBe(1)
      expect(total('coffee 上海', 'u3')).toBe(1)
      expect(total('coffee 上海', 'u0')).toBe(0)
      expect(total(undefined, 'u1', 'c1')).toBe(2)
      expect(total(undefined, 'u3', 'c1')).toBe(0)
      expect(total('上海', 'nobody')).toBe(0)
    })
  })

  it('answers like the brute-force scan on random corpora: totals, and the same hits', () => {
    const pieces = [
      '上',
      '海',
      '东',
      '今天',
      '火锅',
      '测试',
      'jwt',
      'jw',
      'PDF',
      'ｐｄｆ',
      'coffee',
      ' ',
      ', ',
      '!',
    ]
    const text = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 8 }).map((p) => p.join(''))
    const corpus = fc.array(
      fc.record({
        content: text,
        list: fc.integer({ min: 0, max: LISTS.length - 1 }),
        conversation: fc.constantFrom('c0', 'c1'),
        sentAt: fc.integer({ min: 1, max: 6 }),
      }),
      { minLength: 1, maxLength: 20 },
    )
    const query = fc.record({
      q: fc.option(
        fc.array(text, { minLength: 1, maxLength: 2 }).map((t) => t.join(' ')),
        { nil: undefined },
      ),
      userId: fc.constantFrom(...USERS),
      conversationId: fc.option(fc.constantFrom('c0', 'c1'), { nil: undefined }),
    })
    fc.assert(
      fc.property(corpus, fc.array(query, { minLength: 1, maxLength: 5 }), (rows, queries) => {
        const messages = rows.map((r, i) => message(i, r.content, r.list, r.conversation, r.sentAt))
        withBoth(messages, (sqlite, brute) => {
          for (const q of queries as CompareQuery[]) {
            const expected = brute.search(q)
            const actual = sqlite.search(q)
            expect(actual.total, JSON.stringify(q)).toBe(expected.total)
            // At most 20 messages: every match is on the page, whatever the ranking.
            expect([...actual.hits].sort((a, b) => a - b)).toEqual([...expected.hits].sort((a, b) => a - b))
            // Without text both order newest first, ties by insertion (larger first).
            if (fts5Match(q.q ?? '') === undefined) expect(actual.hits).toEqual(expected.hits)
          }
        })
      }),
      { numRuns: 60 },
    )
  })
})
