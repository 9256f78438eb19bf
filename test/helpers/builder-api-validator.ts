/**
 * Typebot's Builder API document (1.0.0), for the management endpoints: `expectBuilderApiShape`
 * checks an answer of the test client against the operation its request falls under.
 */
import { expect } from 'vitest'
import { isRecord } from '../../src/json-record.js'
import type { ApiResponse } from './api-client.js'
import { createOpenApiValidator, type HttpMethod, type OpenApiValidation } from './openapi-validator.js'

const builderApi = createOpenApiValidator('Builder API', new URL('../../test/fixtures/reference/openapi/builder-api.json', import.meta.url))

export function validateBuilderApiResponse(operationPath: string, method: HttpMethod, status: number, body: unknown): OpenApiValidation {
  return builderApi.validateResponse(operationPath, method, status, body)
}

/** Whether the document describes the operation a request falls under (some tables mix in Chat API ones). */
export function isBuilderApiOperation(method: string, path: string): boolean {
  return builderApi.findOperationPath(path.split('?')[0] ?? '', toHttpMethod(method)) !== undefined
}

/**
 * Deliberate differences a test accepts, stated where the call is (docs/compatibility.md says
 * why): `missing` lists JSON pointers of required fields botflow leaves out, `retyped` pointers
 * of fields whose value has another type, `extraBody` a body where the document declares none.
 */
export type BuilderApiExceptions = { missing?: string[]; retyped?: string[]; extraBody?: boolean }

/**
 * Asserts that a response matches the Builder API document for its operation and status.
 *
 * Errors: the document shows oRPC's envelope `{ defined, code, status, message, data? }`; botflow
 * answers `{ message, code, issues? }` everywhere (the Chat API reference page's shape, see
 * docs/compatibility.md). So an error body is checked with the two fields it lacks filled in:
 * its `code` must still be the one the document gives that status, and `message` a string.
 */
export function expectBuilderApiShape(response: ApiResponse, exceptions: BuilderApiExceptions = {}) {
  const method = toHttpMethod(response.request.method)
  const path = response.request.path.split('?')[0] ?? ''
  const operationPath = builderApi.findOperationPath(path, method)
  expect(operationPath, `The Builder API documents no ${method.toUpperCase()} ${path}`).toBeDefined()
  const body =
    response.status >= 400 && isRecord(response.body) ? { defined: true, status: response.status, ...response.body } : response.body
  const validation = builderApi.validateResponse(operationPath ?? path, method, response.status, body)
  const excused = [
    ...(exceptions.missing ?? []).map(toMissingPropertyError),
    ...(exceptions.retyped ?? []).map((pointer) => `${pointer} `),
    ...(exceptions.extraBody ? ['The Builder API declares no content'] : []),
  ]
  const errors = validation.errors.filter((error) => !excused.some((prefix) => error.startsWith(prefix)))
  expect(errors, `${method.toUpperCase()} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`).toEqual([])
}

/** `/apiToken/token` -> the start of ajv's message for that property missing from `/apiToken`. */
function toMissingPropertyError(pointer: string): string {
  const cut = pointer.lastIndexOf('/')
  return `${pointer.slice(0, cut) || '/'} must have required property '${pointer.slice(cut + 1)}'`
}

function toHttpMethod(method: string): HttpMethod {
  const lower = method.toLowerCase()
  if (lower === 'get' || lower === 'post' || lower === 'put' || lower === 'patch' || lower === 'delete') return lower
  throw new Error(`No OpenAPI operation uses ${method}`)
}
