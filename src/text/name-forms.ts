/**
 * @module The searchable forms of a user's or group's name, computed once at indexing time so
 * that every backend matches names by the same rule with plain term, prefix and phrase queries.
 *
 * - `normalized`: NFKC, lower-case, white space collapsed: exact and prefix matches.
 * - `compact`: `normalized` without spaces or punctuation: substring matches (`ang w` is not a
 *   sensible query, `angw` finds "Zhang Wei" the way `zhangwei` finds 张伟).
 * - `words`: the analyzer's tokens of the name: typo tolerance applies per Latin word.
 * - `pinyin`: for names with Han characters, the full pinyin (`zhangwei`) and the initials (`zw`),
 *   matched by prefix, so `zhang`, `zhangwei`, `zhang wei` and `zw` all find 张伟. Polyphonic
 *   characters contribute every common reading, because a surname such as 曾 is read zeng, not
 *   ceng, and a name gives no context to choose from.
 */
import { pinyin } from 'pinyin-pro'
import { tokenize } from './analyzer.ts'

export interface NameForms {
  normalized: string
  compact: string
  words: string[]
  pinyin: string[]
}

const HAN = /\p{Script=Han}/u
/** Cap on the pinyin combinations a polyphonic name may expand to. */
const MAX_PINYIN_FORMS = 16

export function normalizeName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim()
}

/** Letters, marks and digits only: what a substring query and a pinyin query are compared on. */
export function compactName(text: string): string {
  return normalizeName(text).replace(/[^\p{L}\p{M}\p{N}]+/gu, '')
}

export function nameForms(name: string): NameForms {
  const normalized = normalizeName(name)
  return {
    normalized,
    compact: compactName(normalized),
    words: tokenize(normalized),
    pinyin: HAN.test(normalized) ? pinyinForms(normalized) : [],
  }
}

/** Full pinyin and initials for every combination of readings (bounded), deduplicated. */
function pinyinForms(name: string): string[] {
  const chars = [...name].filter((ch) => /[\p{L}\p{N}]/u.test(ch))
  let full: string[] = ['']
  let initials: string[] = ['']
  for (const ch of chars) {
    const readings = HAN.test(ch) ? readingsOf(ch) : [ch]
    full = cross(full, readings)
    initials = cross(
      initials,
      readings.map((r) => r[0] ?? ''),
    )
  }
  return [...new Set([...full, ...initials])].filter((form) => form.length > 0)
}

function readingsOf(ch: string): string[] {
  const readings = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true })
  return readings.length > 0 ? [...new Set(readings)] : [ch]
}

function cross(prefixes: string[], parts: string[]): string[] {
  const out: string[] = []
  for (const p of prefixes) for (const part of parts) if (out.length < MAX_PINYIN_FORMS) out.push(p + part)
  return out
}
