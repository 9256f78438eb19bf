/** Typebot's Chat API document (3.0.0), for the chat endpoints' request and response bodies. */
import { createOpenApiValidator, type HttpMethod, type OpenApiValidation } from './openapi-validator.js'

const chatApi = createOpenApiValidator('Chat API', new URL('../../test/fixtures/reference/openapi/chat-api.json', import.meta.url))

export function validateChatApiResponse(operationPath: string, method: HttpMethod, status: number, body: unknown): OpenApiValidation {
  return chatApi.validateResponse(operationPath, method, status, body)
}

export function validateChatApiRequest(operationPath: string, method: HttpMethod, body: unknown): OpenApiValidation {
  return chatApi.validateRequest(operationPath, method, body)
}
