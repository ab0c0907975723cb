/**
 * @module Hostile inputs for the fuzz suite (issue #8, "Bad input"): text that looks like query
 * syntax, lone surrogates, control characters, huge and NFKC-expanding strings, numbers at and past
 * every bound, coordinates off the globe, and JSON that is malformed, deeply nested, of the wrong
 * type or not UTF-8 at all. Each arbitrary is a value as it travels: a JS string (to be
 * percent-encoded), raw percent-encoded URL text, or raw body bytes.
 */
import fc from 'fast-check'

/** Text a query parser or a regex-built matcher could choke on. */
const QUERY_SYNTAX = [
  '"',
  '""',
  '"unterminated phrase',
  '*',
  '**',
  '?',
  '\\',
  '\\\\',
  'AND',
  'OR NOT',
  'a AND b OR c',
  '+a -b',
  '(',
  ')))',
  '[a-z]+',
  '.*',
  '^$',
  '(?=a)(?!b)',
  '(a+)+$',
  '{1,99999}',
  '$&',
  '%',
  '%%',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax is the point here.
  '${x}',
  '{{x}}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  'field:value',
  '~1',
  'a^2',
  '/regex/i',
]

/** Code points with a story: NUL, BOM, bidi override, NFKC expansions (ﷺ becomes 18 letters). */
const ODD_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\u202e',
  '\u200b',
  '\uffff',
  '\ufffe',
  'ﷺ',
  '﷽',
  'İ',
  'ß',
  'ǅ',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '👨‍👩‍👧‍👦',
  'e\u0301',
  '\u0300\u0300\u0300',
  '١٢٣',
  '１０',
]

/** Lone and misordered surrogates as JS strings (JSON `\ud800` escapes decode to these). */
const SURROGATES = ['\ud800', '\udfff', '\udc00\ud800', 'a\ud83dz', '\ud800\ud800\ud800']

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n))
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n))

/** Strings far past any field's limit: length, term count, NFKC growth, quote pairing. */
const hugeString = fc
  .tuple(
    fc.constantFrom('x', '上', 'a ', '"a" ', 'ﷺ', '\\', '*', '\ud800', '𝔘'),
    // 256 sits exactly at the query bound: one term of 256 CJK tokens is a legal phrase.
    fc.constantFrom(256, 257, 300, 5_000, 70_000),
  )
  .map(([unit, times]) => unit.repeat(times))

/** A JS string a client might put in any text field or parameter. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...QUERY_SYNTAX, ...ODD_CHARACTERS, ...SURROGATES, '', ' ', '   '),
  fc
    .array(fc.constantFrom(...QUERY_SYNTAX, ...ODD_CHARACTERS, ...SURROGATES, '上海', 'jwt'), {
      minLength: 2,
      maxLength: 24,
    })
    .map((parts) => parts.join(' ')),
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: controlChar, minLength: 1, maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  hugeString,
)

/** Number-like text at and past the bounds of ints, limits, epochs and doubles. */
export const hostileNumberText = fc.oneof(
  fc.constantFrom(
    '-1',
    '0',
    '-0',
    '101',
    '1.5',
    '1e2',
    '1e309',
    '-1e309',
    'NaN',
    'Infinity',
    '0x10',
    '0b1',
    '+1',
    ' 5',
    '5 ',
    '٣',
    '１０',
    '9007199254740993',
    '8640000000000001',
    '99999999999999999999999',
    '2025-02-30',
    '2025-01-01T24:00:00Z',
    '+275760-09-13T00:00:00Z',
    '0000-00-00',
  ),
  fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String),
)

/** Coordinates and areas off the globe, degenerate, or at its exact edges. */
export const hostileGeoText = fc.oneof(
  fc.constantFrom(
    '91,0',
    '-90.0000001,0',
    '0,180.0000001',
    '90,180',
    '-90,-180',
    'NaN,NaN',
    '1e400,0',
    ',',
    '0,0,0',
    '0,0;0,0;0,0',
    '0,0;0,0',
    `${'1,1;'.repeat(101)}1,1`,
    '10,170,0,-170',
    '0,10,10,0',
    '0km',
    '-5km',
    '1e9km',
    '20037509',
    '.5km',
    '5 KM',
  ),
  fc.tuple(fc.double(), fc.double()).map(([a, b]) => `${a},${b}`),
)

/** Percent-encoded text no UTF-8 decoder accepts, or that decodes to path tricks. */
export const hostileEncoded = fc.constantFrom(
  '%',
  '%Z1',
  '%E0%A4%A',
  '%ED%A0%80', // a lone surrogate, CESU-8 style
  '%ED%BF%BF',
  '%FF%FE',
  '%C0%AF', // overlong "/"
  '%C0%80', // overlong NUL
  '%F4%90%80%80', // above U+10FFFF
  '%00',
  '%2F',
  '%2e%2e',
  '..%2F..%2Fetc%2Fpasswd',
  '%0D%0ASet-Cookie:%20x=1',
  '%E2%80%AE',
  '%EF%BB%BF',
)

/** Percent-encodes a JS string byte by byte, so lone surrogates reach the server as CESU-8 bytes. */
export function encodeRaw(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    const pairs = unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    if (unit >= 0xd800 && unit <= 0xdfff && !pairs) {
      // A lone surrogate: encodeURIComponent throws on it, so spell its 3 bytes out.
      const hex = (byte: number) => `%${byte.toString(16).toUpperCase()}`
      out += hex(0xe0 | (unit >> 12)) + hex(0x80 | ((unit >> 6) & 0x3f)) + hex(0x80 | (unit & 0x3f))
    } else if (pairs) {
      out += encodeURIComponent(text.slice(i, i + 2))
      i++
    } else out += encodeURIComponent(text[i] as string)
  }
  return out
}

/** A URL value: hostile text (encoded), number-like text, geo text, or raw percent-encoding. */
export const hostileUrlValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: hostileText.map(encodeRaw) },
  { weight: 2, arbitrary: hostileNumberText.map(encodeRaw) },
  { weight: 1, arbitrary: hostileGeoText.map(encodeRaw) },
  { weight: 1, arbitrary: hostileEncoded },
)

/** JSON values of every type, including the ones no field expects. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  fc.constantFrom(null, true, false, 0, -0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, Number.MIN_VALUE),
  // Own `__proto__`/`constructor` keys, as JSON.parse makes them (a literal would set the prototype).
  fc.constantFrom({}, [], [null], JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}')),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.constantFrom('u1', 'x', ''), { minLength: 257, maxLength: 2000 }),
)

const encoder = new TextEncoder()

/** `n` levels of `[` or `{"a":` around a 1: valid JSON no schema here allows, cheap to reject. */
export function deeplyNested(n: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
}

/** Body bytes that are not the JSON they claim to be, or JSON nobody should have to parse. */
export const hostileRawBody: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      '{',
      '{"a":',
      '{"a":1}}',
      '[]',
      'null',
      '""',
      '1',
      'true',
      'NaN',
      '{"a":NaN}',
      '{"a":1e999999}',
      '{"a":-0}',
      "{'a':1}",
      '{"a":1,"a":2}',
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '\ufeff{}',
      '{"content":"\\ud800"}',
      '{"content":"\\udfff\\ud800","name":"\\u0000"}',
      '{"a":"\\u',
      '{"a":"\\x41"}',
      '/* comment */ {}',
    )
    .map((s) => encoder.encode(s)),
  fc
    .tuple(fc.constantFrom(1_000, 50_000, 200_000), fc.constantFrom<'array' | 'object'>('array', 'object'))
    .map(([n, kind]) => encoder.encode(deeplyNested(n, kind))),
  fc
    .constantFrom([0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x80])
    .map((bad) => Uint8Array.from([...encoder.encode('{"content":"a'), ...bad, ...encoder.encode('"}')])),
  fc.uint8Array({ maxLength: 300 }),
)
