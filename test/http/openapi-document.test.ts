/**
 * `/openapi.json` is a valid OpenAPI 3.1 document (issue #14), checked by an independent validator:
 * @seriousme/openapi-schema-validator validates against the OpenAPI Initiative's own 3.1 JSON Schema
 * (with Ajv), so it shares nothing with zod-openapi, which writes the document.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { createHarness } from '../routes/harness.ts'

describe('/openapi.json', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const res = await createHarness().app.request('/openapi.json')
    expect(res.status).toBe(200)
    const document = (await res.json()) as Record<string, unknown>
    const validator = new Validator()
    const result = await validator.validate(document)
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })
})
