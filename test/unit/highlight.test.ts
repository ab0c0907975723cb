/** @module Highlights: escaped content with each term occurrence in `<em>`, never nested. */
import { describe, expect, it } from 'vitest'
import { normalizeText } from '../../src/text/analyzer.ts'
import { escapeHtml, highlight, ONE_TO_ONE } from '../../src/text/highlight.ts'
import { parseQueryTerms } from '../../src/text/query-terms.ts'

const hl = (content: string, query: string) => highlight(content, parseQueryTerms(query))

describe('escapeHtml', () => {
  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})

describe('highlight', () => {
  it('without terms (a filter-only search) is the escaped content, unmarked', () => {
    expect(hl('ﬁle <b>上海</b> & ｶﾞ', '')).toBe('ﬁle &lt;b&gt;上海&lt;/b&gt; &amp; ｶﾞ')
  })

  it('wraps a CJK phrase', () => {
    expect(hl('我家在上海东边', '上海')).toBe('我家在<em>上海</em>东边')
  })

  it('wraps every occurrence', () => {
    expect(hl('周会 周会，别忘了周会', '周会')).toBe('<em>周会</em> <em>周会</em>，别忘了<em>周会</em>')
  })

  it('keeps the original case and width when the normal form has the same length', () => {
    expect(hl('认证系统使用JWT令牌', 'jwt')).toBe('认证系统使用<em>JWT</em>令牌')
    expect(hl('ＨＥＬＬＯ Ｗｏｒｌｄ', 'hello')).toBe('<em>ＨＥＬＬＯ</em> Ｗｏｒｌｄ')
  })

  it('wraps a Latin phrase across the space between its tokens', () => {
    expect(hl('The quick brown fox', '"quick brown"')).toBe('The <em>quick brown</em> fox')
  })

  it('does not highlight inside a token', () => {
    expect(hl('认证系统使用JWT令牌', 'jw')).toBe('认证系统使用JWT令牌')
  })

  it('escapes HTML outside and inside the marks', () => {
    expect(hl('<b>jwt</b> & "x"', 'jwt')).toBe('&lt;b&gt;<em>jwt</em>&lt;/b&gt; &amp; &quot;x&quot;')
    expect(hl('a&b <script>', 'script')).toBe('a&amp;b &lt;<em>script</em>&gt;')
    expect(hl('<img src=x onerror=alert(1)>', 'img')).toBe('&lt;<em>img</em> src=x onerror=alert(1)&gt;')
  })

  it('escapes content without matches', () => {
    expect(hl('<i>no match</i>', '上海')).toBe('&lt;i&gt;no match&lt;/i&gt;')
    expect(highlight('<i>', [])).toBe('&lt;i&gt;')
  })

  it('merges overlapping matches into one mark', () => {
    expect(hl('我家在上海东边', '上海 海东')).toBe('我家在<em>上海东</em>边')
    expect(hl('abcabc', 'abcabc abc')).toBe('<em>abcabc</em>')
  })

  it('merges touching matches, so marks never nest or abut', () => {
    expect(hl('我家在上海东边', '上海 东边')).toBe('我家在<em>上海东边</em>')
  })

  it('keeps the original text when NFKC changes the length', () => {
    expect(hl('ﬁle', 'file')).toBe('<em>ﬁle</em>')
    expect(hl('ｶﾞｲﾄﾞ', 'ガイド')).toBe('<em>ｶﾞｲﾄﾞ</em>')
    expect(hl('Ｈｅｌｌｏ 世界', 'hello')).toBe('<em>Ｈｅｌｌｏ</em> 世界')
  })

  // Regression: offsets of the normal form were once applied to the original when the total
  // lengths happened to agree, marking the wrong characters.
  it('marks exactly the matched text, even when NFKC expands and contracts by the same amount', () => {
    // ﬁ (1 unit) becomes fi (2), ｶﾞ (2) becomes ガ (1): equal lengths, shifted offsets.
    for (const [content, query] of [
      ['ﬁｶﾞx', 'ガ'],
      ['ﬁｶﾞx', 'fi'],
    ] as const) {
      const out = hl(content, query)
      const marked = [...out.matchAll(/<em>(.*?)<\/em>/g)].map((m) => normalizeText(m[1] ?? ''))
      expect(marked, `${content} / ${query}: ${out}`).toEqual([normalizeText(query)])
    }
  })

  it('never loses or invents text: removing the marks gives the content or its normal form', () => {
    for (const [content, query] of [
      ['我家在上海东边', '上海 东'],
      ['ＡＢＣ abc', 'abc'],
      ['ﬁle ﬁle', 'file'],
      ['x < y && y > z', 'y'],
    ] as const) {
      const plain = hl(content, query)
        .replace(/<\/?em>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&')
      expect([content, normalizeText(content)]).toContain(plain)
    }
  })

  // The fast path assumes offsets in the normal form are the original's for such content.
  it('one-to-one characters: one unit in the normal form, a grapheme of their own, no effect on neighbours', () => {
    const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
    const failures: string[] = []
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const ch = String.fromCodePoint(code)
      if (!ONE_TO_ONE.test(ch)) continue
      const isolated = [...graphemes.segment(`a${ch}${ch}中`)].length === 4
      const alone =
        normalizeText(ch).length === ch.length && normalizeText(`a${ch}中`) === `a${normalizeText(ch)}中`
      if (!isolated || !alone) failures.push(code.toString(16))
    }
    expect(failures).toEqual([])
  })

  it('marks the same text with and without the one-to-one fast path', () => {
    // A combining mark (U+0301) sends the same text down the per-grapheme path.
    for (const [content, query] of [
      ['今天 JWT 令牌，ＡＢＣ\r\n天', '今天 jwt abc'],
      ['カタカナ、ひらがな。', 'カナ'],
      ['今天加班到3点😴 ✈', '今天 3'],
    ] as const) {
      const fast = hl(content, query)
      expect(hl(`${content}e\u0301`, query)).toBe(`${fast}e\u0301`)
    }
  })
})
