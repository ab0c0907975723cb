/** @module Name forms: normalised, compact, words and pinyin (full and initials, every reading). */
import { describe, expect, it } from 'vitest'
import { compactName, nameForms, normalizeName } from '../../src/text/name-forms.ts'

describe('normalizeName', () => {
  it('applies NFKC, lower-cases and collapses white space', () => {
    expect(normalizeName('  Zhang   Wei ')).toBe('zhang wei')
    expect(normalizeName('ＷＩＬＬＩＡＭ\u3000Ｌｉ')).toBe('william li')
    expect(normalizeName('张\t伟')).toBe('张 伟')
  })
})

describe('compactName', () => {
  it('keeps letters, marks and digits only', () => {
    expect(compactName('Zhang Wei')).toBe('zhangwei')
    expect(compactName("O'Brien-Smith")).toBe('obriensmith')
    expect(compactName('张 伟 (Tony)')).toBe('张伟tony')
    expect(compactName('Agent 007')).toBe('agent007')
    expect(compactName('...')).toBe('')
  })
})

describe('nameForms', () => {
  it('张伟: full pinyin and initials', () => {
    expect(nameForms('张伟')).toEqual({
      normalized: '张伟',
      compact: '张伟',
      words: ['张', '伟'],
      pinyin: expect.arrayContaining(['zhangwei', 'zw']),
    })
  })

  it('a Latin name has words and no pinyin', () => {
    expect(nameForms('William Li')).toEqual({
      normalized: 'william li',
      compact: 'williamli',
      words: ['william', 'li'],
      pinyin: [],
    })
  })

  it.each([
    ['曾小明', ['zengxiaoming', 'zxm']],
    ['单田芳', ['shantianfang', 'stf']],
    ['解放', ['xiefang', 'jiefang', 'xf', 'jf']],
    ['仇大海', ['qiudahai', 'qdh']],
    ['区志强', ['ouzhiqiang', 'ozq']],
  ])('polyphonic surname %s includes the surname reading', (name, forms) => {
    expect(nameForms(name).pinyin).toEqual(expect.arrayContaining(forms))
  })

  it('keeps Latin letters in a mixed name', () => {
    expect(nameForms('长城 Team').pinyin).toEqual(expect.arrayContaining(['changchengteam']))
  })

  it('has no duplicate or empty pinyin forms', () => {
    for (const name of ['张伟', '曾小明', '长长长', '行行行']) {
      const { pinyin } = nameForms(name)
      expect(new Set(pinyin).size).toBe(pinyin.length)
      for (const form of pinyin) expect(form).toMatch(/^[a-z0-9ü]+$/)
    }
  })

  it('bounds the pinyin forms of a name of many polyphonic characters', () => {
    expect(nameForms('长行长行长行长行').pinyin.length).toBeLessThanOrEqual(32)
  })

  it('uses v for ü, so that lv finds 吕', () => {
    expect(nameForms('吕布').pinyin).toEqual(expect.arrayContaining(['lvbu']))
  })
})
