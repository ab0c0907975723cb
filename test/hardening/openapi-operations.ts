/**
 * @module The operations the app documents, read from its own `/openapi.json`. The fuzz and auth
 * suites iterate over this list rather than a hand-kept one, so a new endpoint is covered the
 * moment it is declared with `createRoute`.
 */
import type { Scope } from '../../src/http/context.ts'

/** The subset of JSON Schema that zod-openapi emits for our routes. */
export interface JsonSchema {
  type?: string | string[]
  $ref?: string
  enum?: unknown[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: boolean | JsonSchema
  minLength?: number
  maxLength?: number
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  default?: unknown
  example?: unknown
}

export interface ParamSpec {
  name: string
  in: 'path' | 'query'
  required: boolean
  schema: JsonSchema
}

export interface Operation {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH'
  /** The OpenAPI path template, e.g. `/v1/users/{userId}`. */
  template: string
  /** The scope the security requirement names; `undefined` for public operations. */
  scope: Scope | undefined
  params: ParamSpec[]
  /** The JSON body schema with every `$ref` resolved, when the operation takes a body. */
  body: JsonSchema | undefined
  /** `GET /v1/search/messages`, for test names. */
  label: string
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

interface RawOperation {
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
}

/** Replaces `$ref`s by the component they name, recursively (our schemas have no cycles). */
function resolve(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 32) throw new Error('openapi-operations: $ref nesting too deep (a cycle?)')
  const ref = schema.$ref?.replace('#/components/schemas/', '')
  const base = ref === undefined ? schema : (components[ref] ?? {})
  const out: JsonSchema = { ...base }
  const sub = (s: JsonSchema) => resolve(s, components, depth + 1)
  if (base.properties)
    out.properties = Object.fromEntries(Object.entries(base.properties).map(([k, v]) => [k, sub(v)]))
  if (base.items) out.items = sub(base.items)
  if (base.anyOf) out.anyOf = base.anyOf.map(sub)
  if (base.oneOf) out.oneOf = base.oneOf.map(sub)
  if (base.allOf) out.allOf = base.allOf.map(sub)
  return out
}

/** Reads the app's OpenAPI document and lists every operation in it. */
export async function listOperations(app: {
  request(path: string): Response | Promise<Response>
}): Promise<Operation[]> {
  const res = await app.request('/openapi.json')
  if (res.status !== 200) throw new Error(`openapi-operations: /openapi.json answered ${res.status}`)
  const doc = (await res.json()) as OpenApiDocument
  const components = doc.components?.schemas ?? {}
  const operations: Operation[] = []
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const scope = raw.security?.flatMap((s) => Object.values(s).flat())[0] as Scope | undefined
      const params = (raw.parameters ?? [])
        .filter((p): p is typeof p & { in: 'path' | 'query' } => p.in === 'path' || p.in === 'query')
        .map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required ?? p.in === 'path',
          schema: resolve(p.schema ?? {}, components),
        }))
      const bodySchema = raw.requestBody?.content?.['application/json']?.schema
      const upper = method.toUpperCase() as Operation['method']
      operations.push({
        method: upper,
        template,
        scope,
        params,
        body: bodySchema ? resolve(bodySchema, components) : undefined,
        label: `${upper} ${template}`,
      })
    }
  }
  return operations
}
