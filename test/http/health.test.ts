import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/start-server.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => server.close())

describe('health and errors', () => {
  it('answers GET /api/healthz with status ok', async () => {
    const response = await fetch(`${server.url}/api/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })

  it('answers 404 NOT_FOUND with the error body for an unknown route', async () => {
    const response = await fetch(`${server.url}/api/nope`)
    expect(response.status).toBe(404)
    const body = await response.json()
    expect(body).toMatchObject({ code: 'NOT_FOUND' })
    expect(typeof body.message).toBe('string')
  })

  it('serves the OpenAPI document', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`)
    expect(response.status).toBe(200)
    const document = await response.json()
    expect(document.paths['/api/healthz']).toBeDefined()
  })
})
