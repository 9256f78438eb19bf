import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureDemoTypebot } from '../../src/demo/ensure-demo-typebot.js'
import { prepareFirstRun } from '../../src/demo/prepare-first-run.js'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish, readFixture, textOf } from '../helpers/chat-fixtures.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'

let server: TestServer

beforeAll(async () => {
  // The pages reference the built bundles: build them as `npm run build` does.
  execFileSync(process.execPath, ['scripts/build-web.mjs'], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: 'pipe' })
  server = await startTestServer()
  const owner = await createTestUser(server)
  const main = readFixture('chat/main.json')
  await importAndPublish(owner, [
    { fixture: 'chat/linkedBot.json', alias: 'chat-sub-bot' },
    { fixture: { ...main, name: 'Complete <b>bot</b> & "co"' }, publicId: 'complete-bot' },
    { fixture: 'chat/startingWithInput.json', publicId: 'not-published', publish: false },
  ])
})
afterAll(async () => server?.close())

/** GET with the body read, so no response is left holding a connection open. */
async function get(path: string, baseUrl = server.url) {
  const response = await fetch(`${baseUrl}${path}`)
  const body = await response.text()
  return { status: response.status, headers: response.headers, text: async () => body }
}

describe('GET /{publicId}', () => {
  it('serves the chat page of a published typebot, its name escaped', async () => {
    const response = await get('/complete-bot')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    expect(html).toContain('<title>Complete &lt;b&gt;bot&lt;/b&gt; &amp; &quot;co&quot;</title>')
    expect(html).not.toContain('<b>bot</b>')
    expect(html).toContain('data-public-id="complete-bot"')
    expect(html).toMatch(/<script src="\/_botflow\/chat\.js\?v=[0-9a-f]{12}" defer><\/script>/)
  })

  it.each(['no-such-bot', 'not-published'])('answers a 404 page for %s', async (publicId) => {
    const response = await get(`/${publicId}`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await response.text()).toContain(`<code>${publicId}</code>`)
  })

  it('serves the bundles with their content type, for good when versioned', async () => {
    const html = await (await get('/complete-bot')).text()
    const scriptUrl = html.match(/src="(\/_botflow\/chat\.js\?v=[0-9a-f]+)"/)?.[1] ?? ''
    const versioned = await get(scriptUrl)
    expect(versioned.status).toBe(200)
    expect(versioned.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const plain = await get('/_botflow/chat.css')
    expect(plain.headers.get('content-type')).toBe('text/css; charset=utf-8')
    expect(plain.headers.get('cache-control')).toBe('no-cache')
    expect((await get('/_botflow/secrets.txt')).status).toBe(404)
    expect((await get('/_botflow/..%2Fpackage.json')).status).toBe(404)
  })
})

describe('GET /{publicId}/embed.js', () => {
  it('serves the bubble script with the typebot name and button colours', async () => {
    const response = await get('/complete-bot/embed.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const code = await response.text()
    expect(code.startsWith('(function (botflowEmbedDefaults) {')).toBe(true)
    expect(
      code
        .trimEnd()
        .endsWith(
          `})(${JSON.stringify({ publicId: 'complete-bot', name: 'Complete <b>bot</b> & "co"', buttonColor: '#0042DA', iconColor: '#FFFFFF' })});`,
        ),
    ).toBe(true)
    expect(code).not.toContain('sourceMappingURL')
  })

  it('answers 404 for a typebot that is not published', async () => {
    expect((await get('/not-published/embed.js')).status).toBe(404)
  })
})

describe('GET /', () => {
  it('welcomes with the API reference and the token command, and the demo once it exists', async () => {
    const before = await (await get('/')).text()
    expect(before).toContain('href="/api/docs"')
    expect(before).toContain('npx botflow token create --email you@example.com')
    expect(before).not.toContain('href="/demo"')
    expect(await ensureDemoTypebot(server.store)).toBe('created')
    expect(await (await get('/')).text()).toContain('href="/demo"')
  })
})

describe('PUBLIC_URL', () => {
  it('builds the embed snippet and the API servers from it behind a proxy, from the request without it', async () => {
    const welcome = await (await get('/')).text()
    expect(welcome).toContain(`${server.url}/my-bot/embed.js`)
    expect(JSON.parse(await (await get('/api/openapi.json')).text()).servers).toBeUndefined()

    const proxied = await startTestServer({ PUBLIC_URL: 'https://chat.example.com' })
    try {
      const page = await (await get('/', proxied.url)).text()
      expect(page).toContain('https://chat.example.com/my-bot/embed.js')
      expect(page).toContain('https://chat.example.com/my-bot')
      expect(page).not.toContain(proxied.url)
      expect(JSON.parse(await (await get('/api/openapi.json', proxied.url)).text()).servers).toEqual([{ url: 'https://chat.example.com' }])
    } finally {
      await proxied.close()
    }
  })
})

describe('web routes and the OpenAPI document', () => {
  it('keeps pages out of the API document', async () => {
    const openapi = JSON.parse(await (await get('/api/openapi.json')).text()) as { paths: Record<string, unknown> }
    expect(
      Object.keys(openapi.paths).filter((path) => !path.startsWith('/api/v') && !['/api/healthz', '/api/readyz'].includes(path)),
    ).toEqual([])
  })

  it('serves the API reference page', async () => {
    const response = await get('/api/docs')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('swagger-ui-bundle.js')
  })
})

describe('first run', () => {
  it('publishes a demo at /demo that asks a name and answers with it', async () => {
    const fresh = await startTestServer()
    try {
      expect(await prepareFirstRun(fresh.store, { isDemoEnabled: true })).toEqual({ isDemoAvailable: true })
      expect(await ensureDemoTypebot(fresh.store)).toBe('already-created')
      const chat = createApiClient(fresh.url)
      const start = await chat('POST', '/v1/typebots/demo/startChat', { body: {} })
      expect(start.status).toBe(200)
      expect(start.body.messages.map(textOf)).toEqual([
        "Hi! 👋 I'm the botflow demo bot.",
        'botflow runs chatbots made with Typebot, right here in your browser. What should I call you?',
      ])
      const menu = await chat('POST', `/v1/sessions/${start.body.sessionId}/continueChat`, { body: { message: 'Ada' } })
      expect(menu.body.messages.map(textOf)).toEqual(['Nice to meet you, Ada! What would you like to do?'])
      expect(menu.body.input.items.map((item: { content: string }) => item.content)).toEqual([
        'Show me what you can do',
        'How do I chat with my own bot?',
        'Just saying hi',
      ])
      const bye = await chat('POST', `/v1/sessions/${start.body.sessionId}/continueChat`, { body: { message: 'Just saying hi' } })
      expect(bye.body.messages.map(textOf)).toEqual(['Bye Ada, have a great day! 👋'])
      expect(bye.body.input).toBeUndefined()
    } finally {
      await fresh.close()
    }
  })

  it('publishes nothing when BOTFLOW_DEMO=false', async () => {
    const fresh = await startTestServer({ BOTFLOW_DEMO: 'false' })
    try {
      expect(await prepareFirstRun(fresh.store, fresh.config)).toEqual({ isDemoAvailable: false })
      expect((await get('/demo', fresh.url)).status).toBe(404)
    } finally {
      await fresh.close()
    }
  })

  it('leaves alone a typebot that already has the public id demo', async () => {
    const fresh = await startTestServer()
    try {
      const owner = await createTestUser(fresh)
      await importAndPublish(owner, [{ fixture: 'chat/startingWithInput.json', publicId: 'demo' }])
      expect(await ensureDemoTypebot(fresh.store)).toBe('public-id-taken')
      const start = await createApiClient(fresh.url)('POST', '/v1/typebots/demo/startChat', { body: {} })
      expect(start.body.input.type).toBe('text input')
      expect(start.body.messages).toEqual([])
    } finally {
      await fresh.close()
    }
  })
})
