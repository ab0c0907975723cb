/** @module The message analyzer: NFKC, lower case, one token per CJK character, runs otherwise. */
import { describe, expect, it } from 'vitest'
import { isCjkToken, normalizeText, tokenize, tokenizeWithPositions } from '../../src/text/analyzer.ts'

describe('normalizeText', () => {
  it.each([
    ['ＨＥＬＬＯ　Ｗｏｒｌｄ', 'hello world'],
    ['２０２５年', '2025年'],
    ['ｶﾀｶﾅ', 'カタカナ'],
    ['ﬁle', 'file'],
    ['Ⅻ', 'xii'],
    ['①', '1'],
    ['cafe\u0301', 'café'],
    ['\u1112\u1161\u11ab', '한'],
    ['JWT令牌', 'jwt令牌'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeText(input)).toBe(expected)
  })
})

describe('tokenize', () => {
  it.each<[string, string[]]>([
    ['我家在上海东边', ['我', '家', '在', '上', '海', '东', '边']],
    ['认证系统使用JWT令牌', ['认', '证', '系', '统', '使', '用', 'jwt', '令', '牌']],
    ['请帮我解析 PDF 文件', ['请', '帮', '我', '解', '析', 'pdf', '文', '件']],
    ['明天下午3点在Shanghai开会', ['明', '天', '下', '午', '3', '点', '在', 'shanghai', '开', '会']],
    ['The quick-brown fox.', ['the', 'quick', 'brown', 'fox']],
    ["don't stop", ['don', 't', 'stop']],
    ['snake_case x1 abc123def', ['snake', 'case', 'x1', 'abc123def']],
    ['ＡＢＣ１２３', ['abc123']],
    ['カタカナのテスト', ['カ', 'タ', 'カ', 'ナ', 'の', 'テ', 'ス', 'ト']],
    ['ｶﾀｶﾅ', ['カ', 'タ', 'カ', 'ナ']],
    ['ひらがな', ['ひ', 'ら', 'が', 'な']],
    ['한국어 메시지', ['한', '국', '어', '메', '시', '지']],
    ['a🙂b👍🏽c', ['a', 'b', 'c']],
    ['解析，PDF。完成！', ['解', '析', 'pdf', '完', '成']],
    ['café naïve', ['café', 'naïve']],
    ['cafe\u0301', ['café']],
    ['مرحبا بك', ['مرحبا', 'بك']],
    ['สวัสดี', ['สวัสดี']],
    ['Привет, МИР', ['привет', 'мир']],
    ['', []],
    ['  \n\t', []],
    ['!!! --- ...', []],
    ['🙂🙂', []],
  ])('%j', (input, expected) => {
    expect(tokenize(input)).toEqual(expected)
  })

  it('is case- and width-insensitive: both forms give one token sequence', () => {
    expect(tokenize('ＪＷＴ Token')).toEqual(tokenize('jwt token'))
    expect(tokenize('ｶﾞｲﾄﾞ')).toEqual(tokenize('ガイド'))
  })

  it('emits only non-empty tokens without white space or punctuation', () => {
    for (const token of tokenize('Mixed: 中文, English, 日本語のテキスト & 한국어! 123')) {
      expect(token.length).toBeGreaterThan(0)
      expect(token).not.toMatch(/[\s\p{P}]/u)
    }
  })
})

describe('tokenizeWithPositions', () => {
  it('gives offsets into the normalised text', () => {
    const normalized = normalizeText('Hi, 上海 JWT!')
    const tokens = tokenizeWithPositions(normalized)
    expect(tokens).toEqual([
      { token: 'hi', start: 0, end: 2 },
      { token: '上', start: 4, end: 5 },
      { token: '海', start: 5, end: 6 },
      { token: 'jwt', start: 7, end: 10 },
    ])
    for (const t of tokens) expect(normalized.slice(t.start, t.end)).toBe(t.token)
  })

  it('agrees with tokenize', () => {
    const text = normalizeText('我家在上海东边 by the sea, カタカナ 한국')
    expect(tokenizeWithPositions(text).map((t) => t.token)).toEqual(tokenize(text))
  })
})

describe('isCjkToken', () => {
  it.each([
    ['上', true],
    ['カ', true],
    ['ひ', true],
    ['한', true],
    ['jwt', false],
    ['3', false],
    ['上海', false],
  ])('%s → %s', (token, expected) => {
    expect(isCjkToken(token)).toBe(expected)
  })
})
