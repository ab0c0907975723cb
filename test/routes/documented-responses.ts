/**
 * @module Every answer a route test sees must be one the API documents (issue #14): its status is
 * among the operation's responses in `/openapi.json`, and its body validates against the schema
 * documented for that status and content type (JSON Schema 2020-12, as OpenAPI 3.1 says, checked
 * with Ajv). Answers to requests no operation matches (unknown paths, wrong methods) are the
 * app's own 404/405 and are not checked here.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'

interface OpenApiResponse {
  content?: Record<string, { schema?: object }>
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, OpenApiResponse> }>>
  components?: object
}

interface Template {
  template: string
  pattern: RegExp
  /** Fewer parameters first: `/v1/admin/queue/retry` wins over `/v1/admin/queue/{x}` when both match. */
  params: number
}

/** Checks answers against one app's document; built once per document. */
export interface ResponseChecker {
  check(method: string, url: string, status: number, contentType: string, body: unknown): void
}

export function responseChecker(document: OpenApiDocument): ResponseChecker {
  // `strict: false`: the document's schemas carry OpenAPI's own keywords (`example`), which are
  // annotations, not assertions; `validateFormats` with ajv-formats checks `uri`, `email`, dates.
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats.default(ajv)
  const templates: Template[] = Object.keys(document.paths)
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params)
  const validators = new Map<string, ValidateFunction>()

  const validatorFor = (key: string, schema: object): ValidateFunction => {
    let validate = validators.get(key)
    if (!validate) {
      // `#/components/schemas/X` references resolve against this root, which carries the components.
      validate = ajv.compile({ allOf: [schema], components: document.components })
      validators.set(key, validate)
    }
    return validate
  }

  return {
    check(method, url, status, contentType, body) {
      // Matched encoded: an id holding an encoded `/` is still one segment.
      const path = new URL(url, 'http://x').pathname
      const template = templates.find((t) => t.pattern.test(path))?.template
      const operation = template ? document.paths[template]?.[method.toLowerCase()] : undefined
      if (!template || !operation) return
      const label = `${method} ${template} answered ${status}`
      const documented = operation.responses?.[String(status)] ?? operation.responses?.default
      expect(documented, `${label}: a status the operation does not document`).toBeDefined()
      const mediaType = contentType.split(';')[0]?.trim() ?? ''
      const content = documented?.content
      if (!content) {
        expect(body, `${label}: documented without a body`).toSatisfy((b) => b === '' || b === undefined)
        return
      }
      const schema = content[mediaType]?.schema
      expect(schema, `${label}: ${mediaType || 'no content type'} is not documented`).toBeDefined()
      if (!schema) return
      const validate = validatorFor(`${method} ${template} ${status} ${mediaType}`, schema)
      const valid = validate(body)
      expect(
        valid,
        `${label}: the body does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
      ).toBe(true)
    },
  }
}
