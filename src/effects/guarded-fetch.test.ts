import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGuardedFetch, GuardedFetchError } from './guarded-fetch.js'

let origin: string
const received: { method: string; url: string; body: string; headers: Record<string, unknown> }[] = []
const server = createServer(async (request, response) => {
  let body = ''
  for await (const chunk of request) body += chunk
  received.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers })
  if (request.url === '/slow-body') {
    response.writeHead(200, { 'content-type': 'text/plain' })
    response.write('first ')
    return
  }
  if (request.url === '/trickle') {
    response.writeHead(200, { 'content-type': 'text/plain' })
    const timer = setInterval(() => response.write('x'), 20)
    response.on('close', () => clearInterval(timer))
    return
  }
  if (request.url === '/big') {
    response.writeHead(200)
    response.end(Buffer.alloc(4096, 'a'))
    return
  }
  response.writeHead(201, { 'content-type': 'application/json', 'x-answer': '42' })
  response.end(JSON.stringify({ echo: body }))
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const local = createGuardedFetch({ allowPrivateTargets: true, idleTimeoutMs: 300 })

describe('createGuardedFetch', () => {
  it('sends the method, headers and body, and answers a standard Response', async () => {
    const response = await local(`${origin}/echo`, { method: 'POST', headers: { authorization: 'Bearer k' }, body: 'hello' })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-answer')).toBe('42')
    expect(await response.json()).toEqual({ echo: 'hello' })
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/echo', body: 'hello', headers: { authorization: 'Bearer k' } })
  })

  it('refuses private addresses unless allowed, before sending anything', async () => {
    const strict = createGuardedFetch({ allowPrivateTargets: false, idleTimeoutMs: 300 })
    const count = received.length
    await expect(strict(`${origin}/echo`)).rejects.toThrow(/^Security validation failed/)
    await expect(strict('http://localhost:1/')).rejects.toBeInstanceOf(GuardedFetchError)
    await expect(local(`${origin}/echo`, { headers: { 'Metadata-Flavor': 'Google' } })).rejects.toThrow(
      /Header metadata-flavor is not allowed/,
    )
    expect(received.length).toBe(count)
  })

  it('times out a body that goes silent, but not one that keeps flowing until the ceiling', async () => {
    const silent = await local(`${origin}/slow-body`)
    await expect(silent.text()).rejects.toThrow('Request timed out. (0.3s)')
    const bounded = createGuardedFetch({ allowPrivateTargets: true, idleTimeoutMs: 300, maxDurationMs: 700 })
    const trickle = await bounded(`${origin}/trickle`)
    await expect(trickle.text()).rejects.toThrow('Request took longer than 0.7s')
  })

  it("refuses a body larger than the limit, and stops at the caller's abort", async () => {
    const small = createGuardedFetch({ allowPrivateTargets: true, idleTimeoutMs: 1_000, maxResponseBytes: 1024 })
    await expect((await small(`${origin}/big`)).arrayBuffer()).rejects.toThrow('larger than 1024 bytes')
    const controller = new AbortController()
    const pending = local(`${origin}/slow-body`, { signal: controller.signal }).then((response) => response.text())
    setTimeout(() => controller.abort(), 50)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('connects to the address it validated, keeping the host name in the request', async () => {
    const port = new URL(origin).port
    const pinned = createGuardedFetch({
      allowPrivateTargets: true,
      idleTimeoutMs: 1_000,
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    const response = await pinned(`http://pinned.test:${port}/echo`, { method: 'POST', body: 'via the validated address' })
    expect(await response.json()).toEqual({ echo: 'via the validated address' })
    expect(received.at(-1)?.headers).toMatchObject({ host: `pinned.test:${port}` })
  })
})
