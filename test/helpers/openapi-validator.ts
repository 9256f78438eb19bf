/**
 * Checks HTTP bodies against one of Typebot's OpenAPI documents (3.1, kept unchanged in
 * test/fixtures/reference/openapi), so our wire shapes cannot drift from what Typebot clients
 * expect. Paths are the document's, without `/api` (e.g. `/v1/typebots/{typebotId}`); a leading
 * `/api` is tolerated. Schemas are compiled on first use of an operation and cached.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import ajvFormats from 'ajv-formats'
import { isRecord } from '../../src/json-record.js'

type JsonSchema = Record<string, unknown>
type OpenApiBody = { content?: Record<string, { schema?: JsonSchema }> }
type OpenApiOperation = { requestBody?: OpenApiBody; responses?: Record<string, OpenApiBody> }
type OpenApiDocument = { paths: Record<string, Partial<Record<string, OpenApiOperation>>>; components?: JsonSchema }

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type OpenApiValidation = { valid: boolean; errors: string[] }

export type OpenApiValidator = {
  /** Validates a response body against the schema the document declares for that path and status. */
  validateResponse(operationPath: string, method: HttpMethod, status: number, body: unknown): OpenApiValidation
  /** Validates a request body (handy to make sure a test sends what Typebot clients send). */
  validateRequest(operationPath: string, method: HttpMethod, body: unknown): OpenApiValidation
  /** The document's path template a concrete path (no query) falls under for that method, if any. */
  findOperationPath(concretePath: string, method: HttpMethod): string | undefined
}

type BodyCheck = { kind: 'schema'; validate: ValidateFunction } | { kind: 'noContent' } | { kind: 'undeclared'; message: string }

/** `title` names the document in messages ("the Chat API has no POST /v1/nothing"). */
export function createOpenApiValidator(title: string, documentUrl: URL): OpenApiValidator {
  let loaded: { document: OpenApiDocument; components?: JsonSchema; ajv: Ajv2020 } | undefined
  const checksByKey = new Map<string, BodyCheck>()

  function load(): NonNullable<typeof loaded> {
    if (loaded) return loaded
    const document: OpenApiDocument = JSON.parse(readFileSync(documentUrl, 'utf8'))
    // strict: false because OpenAPI adds keywords JSON Schema does not know (x-native-type...).
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    ajvFormats.default(ajv)
    loaded = { document, components: document.components ? toJsonSchema(document.components) : undefined, ajv }
    return loaded
  }

  function findCheck(
    operationPath: string,
    method: HttpMethod,
    part: string,
    selectBody: (operation: OpenApiOperation) => OpenApiBody | undefined,
  ): BodyCheck {
    const { document, components, ajv } = load()
    const path = operationPath in document.paths ? operationPath : operationPath.replace(/^\/api(?=\/)/, '')
    const cacheKey = `${method} ${path} ${part}`
    const cached = checksByKey.get(cacheKey)
    if (cached) return cached

    const operation = document.paths[path]?.[method]
    if (!operation) return { kind: 'undeclared', message: `The ${title} has no ${method.toUpperCase()} ${operationPath}` }
    const declared = selectBody(operation)
    if (!declared) return { kind: 'undeclared', message: `The ${title} declares no ${part} body for ${method.toUpperCase()} ${path}` }
    const schema = declared.content?.['application/json']?.schema
    // `$ref`s point at `#/components/...`: carrying the components on the root resolves them.
    const check: BodyCheck =
      schema && !acceptsNothing(schema)
        ? { kind: 'schema', validate: ajv.compile({ ...toJsonSchema(schema), components }) }
        : { kind: 'noContent' }
    checksByKey.set(cacheKey, check)
    return check
  }

  function runCheck(check: BodyCheck, body: unknown, what: string): OpenApiValidation {
    if (check.kind === 'undeclared') return { valid: false, errors: [check.message] }
    if (check.kind === 'noContent') {
      const isEmpty = body === undefined || body === null || body === ''
      return isEmpty ? { valid: true, errors: [] } : { valid: false, errors: [`The ${title} declares no content for ${what}`] }
    }
    if (check.validate(body)) return { valid: true, errors: [] }
    return {
      valid: false,
      errors: (check.validate.errors ?? []).map(
        (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
      ),
    }
  }

  return {
    validateResponse(operationPath, method, status, body) {
      const check = findCheck(operationPath, method, `${status}`, (operation) => {
        const responses = operation.responses ?? {}
        return responses[`${status}`] ?? responses[`${String(status)[0]}XX`] ?? responses.default
      })
      return runCheck(check, body, `a ${status} response`)
    },
    validateRequest(operationPath, method, body) {
      return runCheck(
        findCheck(operationPath, method, 'request', (operation) => operation.requestBody),
        body,
        'a request body',
      )
    },
    findOperationPath(concretePath, method) {
      const segments = concretePath.replace(/^\/api(?=\/)/, '').split('/')
      // A literal segment beats a parameter (`/v1/typebots/import` over `/v1/typebots/{typebotId}`).
      const candidates = Object.entries(load().document.paths)
        .filter(([template, operations]) => operations[method] && matchesTemplate(template.split('/'), segments))
        .map(([template]) => template)
        .sort((left, right) => countParameters(left) - countParameters(right))
      return candidates[0]
    },
  }
}

/** oRPC documents a void output as `{ anyOf: [{ not: {} }, ...] }`: no value is valid, so no body. */
function acceptsNothing(schema: JsonSchema): boolean {
  const isNever = (candidate: unknown) => isRecord(candidate) && isRecord(candidate.not) && Object.keys(candidate.not).length === 0
  return isNever(schema) || (Array.isArray(schema.anyOf) && schema.anyOf.every(isNever))
}

function matchesTemplate(template: string[], segments: string[]): boolean {
  return (
    template.length === segments.length &&
    template.every((part, index) => (part.startsWith('{') && part.endsWith('}') ? segments[index] !== '' : part === segments[index]))
  )
}

function countParameters(template: string): number {
  return template.split('/').filter((part) => part.startsWith('{')).length
}

// Keys whose value is a map of name -> schema, and keys whose value is data, not a schema.
const schemaMapKeywords = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions', 'schemas'])
const literalKeywords = new Set(['const', 'enum', 'default', 'example', 'examples'])

/**
 * Rewrites the OpenAPI-only keywords: 3.0's `nullable` becomes a null alternative, and
 * `discriminator` is dropped because `oneOf` already states the alternatives.
 */
function toJsonSchema(node: JsonSchema): JsonSchema {
  const converted: JsonSchema = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'nullable') continue
    if (literalKeywords.has(key)) converted[key] = value
    else if (schemaMapKeywords.has(key) && isRecord(value))
      converted[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, convertValue(schema)]))
    else converted[key] = convertValue(value)
  }
  if (node.nullable !== true) return converted
  return { anyOf: [converted, { type: 'null' }] }
}

function convertValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertValue)
  return isRecord(value) ? toJsonSchema(value) : value
}
