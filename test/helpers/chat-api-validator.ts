/**
 * Checks our HTTP bodies against Typebot's own Chat API document (OpenAPI 3.1), so the wire
 * shapes cannot drift from what Typebot clients expect. Paths are the document's, without `/api`
 * (e.g. `/v1/typebots/{publicId}/startChat`); a leading `/api` is tolerated.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import ajvFormats from 'ajv-formats'
import { isRecord } from '../../src/json-record.js'

const chatApiDocumentUrl = new URL('../../test/fixtures/reference/openapi/chat-api.json', import.meta.url)

type JsonSchema = Record<string, unknown>
type OpenApiBody = { content?: Record<string, { schema?: JsonSchema }> }
type OpenApiOperation = { requestBody?: OpenApiBody; responses?: Record<string, OpenApiBody> }
type OpenApiDocument = { paths: Record<string, Partial<Record<string, OpenApiOperation>>>; components?: JsonSchema }

export type HttpMethod = 'post' | 'get'
export type ChatApiValidation = { valid: boolean; errors: string[] }

type BodyCheck = { kind: 'schema'; validate: ValidateFunction } | { kind: 'noContent' } | { kind: 'undeclared'; message: string }

let loaded: { document: OpenApiDocument; components?: JsonSchema; ajv: Ajv2020 } | undefined
const checksByKey = new Map<string, BodyCheck>()

/** Validates a response body against the schema the Chat API declares for that path and status. */
export function validateChatApiResponse(operationPath: string, method: HttpMethod, status: number, body: unknown): ChatApiValidation {
  const check = findCheck(operationPath, method, `${status}`, (operation) => {
    const responses = operation.responses ?? {}
    return responses[`${status}`] ?? responses[`${String(status)[0]}XX`] ?? responses.default
  })
  return runCheck(check, body, `a ${status} response`)
}

/** Validates a request body (handy to make sure a test sends what Typebot clients send). */
export function validateChatApiRequest(operationPath: string, method: HttpMethod, body: unknown): ChatApiValidation {
  return runCheck(
    findCheck(operationPath, method, 'request', (operation) => operation.requestBody),
    body,
    'a request body',
  )
}

function runCheck(check: BodyCheck, body: unknown, what: string): ChatApiValidation {
  if (check.kind === 'undeclared') return { valid: false, errors: [check.message] }
  if (check.kind === 'noContent') {
    const isEmpty = body === undefined || body === null || body === ''
    return isEmpty ? { valid: true, errors: [] } : { valid: false, errors: [`The Chat API declares no content for ${what}`] }
  }
  if (check.validate(body)) return { valid: true, errors: [] }
  return {
    valid: false,
    errors: (check.validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
    ),
  }
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
  if (!operation) return { kind: 'undeclared', message: `The Chat API has no ${method.toUpperCase()} ${operationPath}` }
  const declared = selectBody(operation)
  if (!declared) return { kind: 'undeclared', message: `The Chat API declares no ${part} body for ${method.toUpperCase()} ${path}` }
  const schema = declared.content?.['application/json']?.schema
  // `$ref`s point at `#/components/...`: carrying the components on the root resolves them.
  const check: BodyCheck = schema
    ? { kind: 'schema', validate: ajv.compile({ ...toJsonSchema(schema), components }) }
    : { kind: 'noContent' }
  checksByKey.set(cacheKey, check)
  return check
}

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded
  const document: OpenApiDocument = JSON.parse(readFileSync(chatApiDocumentUrl, 'utf8'))
  // strict: false because OpenAPI adds keywords JSON Schema does not know (x-native-type...).
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  ajvFormats.default(ajv)
  loaded = { document, components: document.components ? toJsonSchema(document.components) : undefined, ajv }
  return loaded
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
