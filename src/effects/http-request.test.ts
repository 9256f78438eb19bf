import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { HttpRequestOptions } from './http-request.js'
import { performHttpRequest } from './http-request.js'

type Received = { method: string; url: string; headers: IncomingMessage['headers']; body: string }
type Route = (request: Received, response: ServerResponse) => void

/** A loopback server that records what it receives and answers by path. */
async function startServer(routes: Record<string, Route>): Promise<{ origin: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      }
      received.push(entry)
      const route = { '/headers': echoHeaders, ...routes }[new URL(entry.url, 'http://x').pathname] ?? mirror
      route(entry, response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const mirror: Route = (request, response) => {
  response.setHeader('Content-Type', 'application/json')
  response.end(
    JSON.stringify({ method: request.method, url: request.url, body: request.body, contentType: request.headers['content-type'] ?? null }),
  )
}

const echoHeaders: Route = (request, response) => response.end(JSON.stringify(request.headers))

const redirectTo =
  (location: string, status = 302): Route =>
  (_request, response) => {
    response.writeHead(status, { Location: location })
    response.end()
  }

let target: Awaited<ReturnType<typeof startServer>>
let other: Awaited<ReturnType<typeof startServer>>
const local: HttpRequestOptions = { allowPrivateTargets: true, defaultTimeoutMs: 2_000 }
const strict: HttpRequestOptions = { allowPrivateTargets: false, defaultTimeoutMs: 2_000 }

beforeAll(async () => {
  other = await startServer({})
  target = await startServer({
    '/text': (_request, response) => response.end('plain words'),
    '/fail': (_request, response) => {
      response.writeHead(500, { 'Content-Type': 'application/json' })
      response.end('{"error":"broken"}')
    },
    '/gzip': (_request, response) => {
      response.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' })
      response.end(gzipSync('{"zipped":true}'))
    },
    '/slow': (_request, response) => {
      setTimeout(() => response.end('too late'), 1_000)
    },
    '/to-mirror-302': redirectTo('/mirror?step=2'),
    '/to-mirror-303': redirectTo('/mirror', 303),
    '/to-mirror-307': redirectTo('/mirror', 307),
    '/to-same-origin': redirectTo('/headers'),
    '/to-other-origin': (_request, response) => redirectTo(`${other.origin}/headers`)(_request, response),
    '/to-private': redirectTo('http://10.0.0.1/internal'),
    '/to-other-port': (_request, response) => redirectTo(`${other.origin}/secret`)(_request, response),
    '/loop': redirectTo('/loop'),
  })
})

afterAll(async () => {
  await Promise.all([target.close(), other.close()])
})

beforeEach(() => {
  target.received.length = 0
  other.received.length = 0
})

describe('performHttpRequest', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('sends %s requests', async (method) => {
    const result = await performHttpRequest({ url: `${target.origin}/mirror`, method, headers: {} }, local)
    expect(result.statusCode).toBe(200)
    expect(result.data).toMatchObject({ method, url: '/mirror' })
    expect(result.error).toBeUndefined()
  })

  it('sends HEAD requests and reads the empty body', async () => {
    const result = await performHttpRequest({ url: `${target.origin}/mirror`, method: 'HEAD', headers: {} }, local)
    expect(result).toEqual({ statusCode: 200, data: '', text: '' })
  })

  it('sends the headers, the query string and a JSON body as given', async () => {
    const result = await performHttpRequest(
      {
        url: `${target.origin}/mirror?a=1&a=2&name=J%C3%BCrgen`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'secret' },
        body: '{"name":"John","age":30}',
      },
      local,
    )
    expect(result.data).toEqual({
      method: 'POST',
      url: '/mirror?a=1&a=2&name=J%C3%BCrgen',
      body: '{"name":"John","age":30}',
      contentType: 'application/json',
    })
    expect(target.received[0]!.headers['x-api-key']).toBe('secret')
    expect(target.received[0]!.headers['content-length']).toBe('24')
  })

  it('sends a form body', async () => {
    const result = await performHttpRequest(
      {
        url: `${target.origin}/mirror`,
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'name=John&city=New%20York',
      },
      local,
    )
    expect(result.data).toMatchObject({ body: 'name=John&city=New%20York', contentType: 'application/x-www-form-urlencoded' })
  })

  it.each([
    ['JSON', '/mirror', 200, { method: 'GET', url: '/mirror', body: '', contentType: null }],
    ['text', '/text', 200, 'plain words'],
    ['gzip-encoded JSON', '/gzip', 200, { zipped: true }],
    ['an error status with its body', '/fail', 500, { error: 'broken' }],
  ])('answers %s responses with their status and parsed data', async (_title, path, statusCode, data) => {
    const result = await performHttpRequest({ url: `${target.origin}${path}`, method: 'GET', headers: {} }, local)
    expect(result.statusCode).toBe(statusCode)
    expect(result.data).toEqual(data)
    expect(result.error).toBeUndefined()
  })

  it('follows a 302 after POST as a GET without the body', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/to-mirror-302`, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' },
      local,
    )
    expect(result.data).toEqual({ method: 'GET', url: '/mirror?step=2', body: '', contentType: null })
  })

  it('follows a 303 after PUT as a GET', async () => {
    const result = await performHttpRequest({ url: `${target.origin}/to-mirror-303`, method: 'PUT', headers: {}, body: 'x' }, local)
    expect(result.data).toMatchObject({ method: 'GET', body: '' })
  })

  it('keeps the method and body through a 307', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/to-mirror-307`, method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'kept' },
      local,
    )
    expect(result.data).toEqual({ method: 'POST', url: '/mirror', body: 'kept', contentType: 'text/plain' })
  })

  it('drops credentials when a redirect leaves the origin', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/to-other-origin`, method: 'GET', headers: { Authorization: 'Bearer t', Cookie: 'c=1', 'X-Trace': 'kept' } },
      local,
    )
    expect(result.data).toMatchObject({ 'x-trace': 'kept' })
    expect(result.data).not.toHaveProperty('authorization')
    expect(result.data).not.toHaveProperty('cookie')
  })

  it('keeps credentials through a redirect within the origin', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/to-same-origin`, method: 'GET', headers: { Authorization: 'Bearer t' } },
      local,
    )
    expect(result.data).toMatchObject({ authorization: 'Bearer t' })
  })

  it('gives up after 10 redirects', async () => {
    const result = await performHttpRequest({ url: `${target.origin}/loop`, method: 'GET', headers: {} }, local)
    expect(result.statusCode).toBe(500)
    expect(result.error).toBe('More than 10 redirects')
    expect(target.received).toHaveLength(11)
  })

  it('answers 408 when the server is slower than the timeout', async () => {
    const startedAt = Date.now()
    const result = await performHttpRequest({ url: `${target.origin}/slow`, method: 'GET', headers: {}, timeoutMs: 200 }, local)
    expect(result).toEqual({ statusCode: 408, data: { message: 'Request timed out. (0.2s)' }, error: 'Request timed out. (0.2s)' })
    expect(Date.now() - startedAt).toBeLessThan(900)
  })

  it('applies the default timeout when the request has none', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/slow`, method: 'GET', headers: {} },
      { ...local, defaultTimeoutMs: 150 },
    )
    expect(result.statusCode).toBe(408)
  })

  it('answers 500 when nothing listens', async () => {
    await other.close()
    const result = await performHttpRequest({ url: `${other.origin}/`, method: 'GET', headers: {} }, local)
    other = await startServer({})
    expect(result.statusCode).toBe(500)
    expect(result.data).toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('connects to the address it validated, keeping the host name in the request', async () => {
    const port = new URL(target.origin).port
    const resolveHost = async () => [{ address: '127.0.0.1', family: 4 }]
    const result = await performHttpRequest(
      { url: `http://pinned.test:${port}/headers`, method: 'GET', headers: {} },
      { ...local, resolveHost },
    )
    expect(result.data).toMatchObject({ host: `pinned.test:${port}` })
  })
})

describe('performHttpRequest SSRF protection', () => {
  it.each([
    ['a loopback address', 'http://127.0.0.1:1/', 'loopback address 127.0.0.1 is not allowed'],
    ['localhost', 'http://localhost/', 'Host localhost is blocked'],
    ['a subdomain of localhost', 'http://api.localhost/', 'Host api.localhost is blocked'],
    ['a private address', 'http://10.0.0.1/internal', 'private address 10.0.0.1 is not allowed'],
    ['a 172.16/12 address', 'http://172.20.1.1/', 'private address 172.20.1.1 is not allowed'],
    ['a 192.168/16 address', 'http://192.168.1.1/', 'private address 192.168.1.1 is not allowed'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data/', 'cloud metadata address 169.254.169.254 is not allowed'],
    ['the unspecified address', 'http://0.0.0.0/', 'unspecified address 0.0.0.0 is not allowed'],
    ['the IPv6 loopback', 'http://[::1]/', 'loopback address ::1 is not allowed'],
    ['an IPv6 unique local address', 'http://[fd00::1]/', 'uniqueLocal address fd00::1 is not allowed'],
    ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/', 'loopback address 127.0.0.1 is not allowed'],
    ['a hex-encoded IP', 'http://0x7f000001/', 'Encoded IP address 0x7f000001 is not allowed'],
    ['a decimal-encoded IP', 'http://2130706433/', 'Encoded IP address 2130706433 is not allowed'],
    ['an octal-encoded IP', 'http://0177.0.0.1/', 'Encoded IP address 0177.0.0.1 is not allowed'],
    ['an encoded public IP', 'http://0x08080808/', 'Encoded IP address 0x08080808 is not allowed'],
    ['the GCP metadata host', 'http://metadata.google.internal/computeMetadata/v1/', 'Host metadata.google.internal is blocked'],
    ['a file URL', 'file:///etc/passwd', 'Protocol file: is not allowed, only http: and https:'],
    ['an ftp URL', 'ftp://example.com/', 'Protocol ftp: is not allowed, only http: and https:'],
    ['an empty URL', '', 'URL is required'],
    ['an unparsable URL', 'http://', 'Invalid URL format'],
  ])('refuses %s without sending anything', async (_title, url, reason) => {
    const result = await performHttpRequest({ url, method: 'GET', headers: {} }, strict)
    const message = `Security validation failed: ${reason}`
    expect(result).toEqual({ statusCode: 400, data: { message }, error: message })
  })

  it('refuses the local test server itself and sends it nothing', async () => {
    const result = await performHttpRequest({ url: `${target.origin}/mirror`, method: 'POST', headers: {}, body: 'x' }, strict)
    expect(result.statusCode).toBe(400)
    expect(target.received).toEqual([])
  })

  it('refuses metadata headers even towards allowed targets', async () => {
    const result = await performHttpRequest(
      { url: `${target.origin}/mirror`, method: 'GET', headers: { 'Metadata-Flavor': 'Google' } },
      local,
    )
    expect(result.error).toBe('Security validation failed: Header Metadata-Flavor is not allowed')
    expect(target.received).toEqual([])
  })

  it.each([
    ['a private address', [{ address: '10.1.2.3', family: 4 }]],
    [
      'one private address among public ones',
      [
        { address: '93.184.216.34', family: 4 },
        { address: '192.168.0.10', family: 4 },
      ],
    ],
    ['an IPv6 link-local address', [{ address: 'fe80::1', family: 6 }]],
  ])('refuses a host name that resolves to %s', async (_title, addresses) => {
    const result = await performHttpRequest(
      { url: 'http://internal.example.com/', method: 'GET', headers: {} },
      { ...strict, resolveHost: async () => addresses },
    )
    expect(result.statusCode).toBe(400)
    expect(result.error).toMatch(/^Security validation failed: internal\.example\.com resolves to a blocked address/)
  })

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://2852039166/latest/meta-data/', '169.254.169.254'],
    ['http://[::ffff:169.254.169.254]/', '169.254.169.254'],
    ['http://[::ffff:a9fe:a9fe]/', '169.254.169.254'],
    ['http://[64:ff9b::a9fe:a9fe]/', '169.254.169.254'],
    ['http://[fd00:ec2::254]/latest/meta-data/', 'fd00:ec2::254'],
    ['http://169.254.170.2/v2/credentials', '169.254.170.2'],
    ['http://100.100.100.200/latest/meta-data/', '100.100.100.200'],
    ['http://192.0.0.192/opc/v2/instance/', '192.0.0.192'],
  ])('refuses the metadata address %s even with private targets allowed', async (url, address) => {
    const result = await performHttpRequest({ url, method: 'GET', headers: {} }, local)
    expect(result.error).toBe(`Security validation failed: cloud metadata address ${address} is not allowed`)
  })

  it.each(['http://instance-data/latest/meta-data/', 'http://metadata.google.internal/computeMetadata/v1/'])(
    'refuses the metadata host %s even with private targets allowed',
    async (url) => {
      const result = await performHttpRequest({ url, method: 'GET', headers: {} }, local)
      expect(result.error).toMatch(/^Security validation failed: Host .* is blocked$/)
    },
  )

  it('refuses a trusted host name that resolves to a metadata address', async () => {
    const result = await performHttpRequest(
      { url: 'http://innocent.example.com/', method: 'GET', headers: {} },
      { ...local, resolveHost: async () => [{ address: '169.254.169.254', family: 4 }] },
    )
    expect(result.error).toBe(
      'Security validation failed: innocent.example.com resolves to a blocked address (cloud metadata address 169.254.169.254 is not allowed)',
    )
  })

  it('checks every redirect target: an allowed server cannot bounce the request to a private address', async () => {
    const options = { ...strict, allowedOrigins: [target.origin] }
    const toPrivate = await performHttpRequest({ url: `${target.origin}/to-private`, method: 'GET', headers: {} }, options)
    expect(toPrivate.error).toBe('Security validation failed: private address 10.0.0.1 is not allowed')

    const toLoopback = await performHttpRequest({ url: `${target.origin}/to-other-port`, method: 'GET', headers: {} }, options)
    expect(toLoopback.error).toBe('Security validation failed: loopback address 127.0.0.1 is not allowed')
    expect(other.received).toEqual([])
    expect(target.received.map((request) => request.url)).toEqual(['/to-private', '/to-other-port'])
  })
})
