/**
 * @module Valid-shaped values from a JSON Schema as `/openapi.json` states it: strings within their
 * length and pattern, numbers within their bounds, enums, objects with their required fields. Ids
 * lean towards the fixtures' (`u1`, `g1`, `dm:u1:u2`, ...) so requests reach real records, not
 * only 404s. The result is only as valid as the schema says: cross-field rules (a sender who is a
 * member, `sort=distance` needing `near`) are the service's to refuse with a 4xx.
 */
import fc from 'fast-check'
import type { JsonSchema } from './openapi-operations.ts'

/** Ids the fixtures hold (fixtures/README.md), mixed with made-up ones. */
const FIXTURE_IDS = [
  'u1',
  'u2',
  'u5',
  'u6',
  'u7',
  'u165',
  'g1',
  'g2',
  'g5',
  'g28',
  'dm:u1:u2',
  'dm:u20:u63',
  'm00001',
  'm-anchor-02',
]

/** Words from the fixtures' languages, so text parameters sometimes match something. */
const WORDS = [
  '上海',
  'jwt',
  'deploy',
  '部署',
  '张伟',
  'zhangwei',
  'zw',
  'hiking',
  '摄影',
  '前端',
  'テスト',
  'a',
]

/**
 * Formats the schema only describes in prose (zod transforms show as plain strings), by parameter
 * name. Anything not named here falls back to the schema's `example` and to words.
 */
const FORMATS: Record<string, fc.Arbitrary<string>> = {
  after: fc.oneof(
    fc.integer({ min: 0, max: 2e12 }).map(String),
    fc.constantFrom('2025-03-01', '2025-03-01T00:00:00Z', '2024-02-29T12:30:00+08:00'),
  ),
  near: fc
    .tuple(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }))
    .map(([lat, lon]) => `${lat.toFixed(4)},${lon.toFixed(4)}`),
  radius: fc.oneof(
    fc.integer({ min: 1, max: 20_000 }).map((n) => `${n}m`),
    fc.constantFrom('5km', '800'),
  ),
  within: fc.constant('30.30,120.10;30.30,120.20;30.20,120.20;30.20,120.10'),
  box: fc.constantFrom('31.40,121.20,31.00,121.80', '10,170,0,-170'),
  tag: fc.constantFrom('hiking', '摄影', 'music', 'Go'),
}
FORMATS.before = FORMATS.after as fc.Arbitrary<string>

const ID_PATTERN = '^[A-Za-z0-9._:@-]+$'

export interface ValueContext {
  /** The parameter or property name, which picks a format from {@link FORMATS}. */
  name?: string
  /** For `{}` schemas (`z.unknown()`), e.g. a batch item: what a valid one looks like. */
  unknown?: fc.Arbitrary<unknown>
}

function stringFor(schema: JsonSchema, name: string | undefined): fc.Arbitrary<string> {
  const format = name === undefined ? undefined : FORMATS[name]
  if (format) return format
  const min = schema.minLength ?? 0
  const max = Math.min(schema.maxLength ?? 40, 40)
  const fits = (s: string) => s.length >= min && s.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY)
  if (schema.pattern === ID_PATTERN)
    return fc.oneof(
      fc.constantFrom(...FIXTURE_IDS),
      // `.` and `..` match the pattern but are refused: a URL cannot address them.
      fc.stringMatching(/^[A-Za-z0-9._:@-]{1,24}$/).filter((s) => fits(s) && s !== '.' && s !== '..'),
    )
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits)
  const choices: fc.Arbitrary<string>[] = [
    fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
    fc.string({ minLength: min, maxLength: max }),
  ]
  if (typeof schema.example === 'string') choices.push(fc.constant(schema.example))
  return fc.oneof(...choices).filter(fits)
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min =
    schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e6 : schema.exclusiveMinimum + 1e-6)
  const max = schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1e6 : schema.exclusiveMaximum - 1e-6)
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, 2 ** 31)) })
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
}

function objectFor(schema: JsonSchema, ctx: ValueContext): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(schema.properties ?? {})
  const model = Object.fromEntries(entries.map(([k, v]) => [k, validValue(v, { ...ctx, name: k })]))
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in model) })
}

/** A value that satisfies `schema` as far as JSON Schema can say. */
export function validValue(schema: JsonSchema, ctx: ValueContext = {}): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum)
  const union = schema.anyOf ?? schema.oneOf
  if (union) return fc.oneof(...union.map((s) => validValue(s, ctx)))
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type]
  switch (types[0]) {
    case 'string':
      return stringFor(schema, ctx.name)
    case 'integer':
      return numberFor(schema, true)
    case 'number':
      return numberFor(schema, false)
    case 'boolean':
      return fc.boolean()
    case 'array': {
      const item = schema.items ? validValue(schema.items, ctx) : fc.constant(null)
      const minLength = schema.minItems ?? 0
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)) })
    }
    case 'object':
      return objectFor(schema, ctx)
    default:
      return ctx.unknown ?? fc.jsonValue({ maxDepth: 2 })
  }
}
