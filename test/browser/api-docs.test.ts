import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { artifactPath, type Browser, describeInBrowser, eventually, launchBrowser, openWatchedPage } from './browser.js'

let server: TestServer
let browser: Browser

beforeAll(async () => {
  server = await startTestServer()
  browser = await launchBrowser()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describeInBrowser('GET /api/docs', () => {
  it('shows every operation of the OpenAPI document, with examples, without errors', { timeout: 60_000 }, async () => {
    const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const operationCount = Object.values(openapi.paths).reduce((count, methods) => count + Object.keys(methods).length, 0)
    const { page, errors } = await openWatchedPage(browser.context, server.url)
    const outsideRequests: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) outsideRequests.push(request.url())
    })
    await page.goto(`${server.url}/api/docs`)
    // Swagger UI is a large bundle: give a busy machine time to render the first operation.
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 })
    await eventually(() => page.locator('.opblock').count()).toBe(operationCount)
    expect(await page.locator('.opblock-summary-path').allInnerTexts()).toContain('/api/v1/sessions/{sessionId}/updateTypebot')

    const startChat = page.locator('.opblock').filter({ hasText: '/api/v1/typebots/{publicId}/startChat' })
    await startChat.locator('.opblock-summary').click()
    await startChat.getByText('Example Value').first().waitFor()
    await page.screenshot({ path: artifactPath('api-docs.png') })
    expect(errors).toEqual([])
    expect(outsideRequests).toEqual([])
    await page.close()
  })
})
