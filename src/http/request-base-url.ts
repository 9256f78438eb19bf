import type { FastifyRequest } from 'fastify'

/** The server's address for URLs it hands out: PUBLIC_URL, else the address the request reached. */
export function requestBaseUrl(publicUrl: string | undefined, request: FastifyRequest): string {
  return publicUrl ?? `${request.protocol}://${request.host}`
}
