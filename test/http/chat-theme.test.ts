import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { buildTypebot, text, textInput } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser } from '../helpers/users.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  const owner = await createTestUser(server)
  const typebot = {
    ...buildTypebot({
      variables: [{ id: 'v-color', name: 'Color' }],
      groups: [{ id: 'g', title: 'G', blocks: [text('t', 'Hi'), textInput('i', 'v-color')] }],
    }),
    theme: {
      general: { background: { type: 'Color', content: '{{Color}}' } },
      customCss:
        '/* brand */ .lite-badge { display: none } @media (max-width: 600px) { .lite-badge { opacity: 0 } } .bubble { color: {{Color}}; }',
    },
    settings: { general: { isBrandingEnabled: false }, metadata: { title: 'Not sent' } },
  }
  await importAndPublish(owner, [{ fixture: typebot, publicId: 'themed' }])
})
afterAll(async () => server.close())

describe('typebot theme and settings in startChat', () => {
  it('substitutes variables, strips comments and lite-badge rules, and sends only general/typingEmulation settings', async () => {
    const start = await createApiClient(server.url)('POST', '/v1/typebots/themed/startChat', {
      body: { prefilledVariables: { Color: 'red' } },
    })
    expect(start.status).toBe(200)
    expect(start.body.typebot.theme).toEqual({
      general: { background: { type: 'Color', content: 'red' } },
      customCss: '.bubble { color: red; }',
    })
    expect(start.body.typebot.settings).toEqual({ general: { isBrandingEnabled: false } })
  })
})
