import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../../effects/sandbox.js'
import { createSandbox } from '../../../effects/sandbox.js'
import { forgedAiBlockSchemas } from '../../../schemas/blocks/ai.js'
import {
  chatwootBlockSchema,
  googleAnalyticsBlockSchema,
  googleSheetsBlockSchema,
  integrationBlockSchemas,
  pixelBlockSchema,
} from '../../../schemas/blocks/integrations.js'
import type { ExecutionResult } from '../../block-handler.js'
import type { Effectful, Variable } from '../../types.js'
import { chatwootHandler } from './chatwoot-handler.js'
import { googleAnalyticsHandler } from './google-analytics-handler.js'
import { integrationHandlers } from './index.js'
import { pixelHandler } from './pixel-handler.js'
import { skippedIntegrationHandler } from './skipped-integration-handler.js'
import type { TestContextOptions } from './test-context.js'
import { createTestContext, driveEffects, noEffectExpected } from './test-context.js'

let sandbox: Sandbox
beforeAll(() => {
  sandbox = createSandbox({ timeoutMs: 1_000 })
})
afterAll(() => sandbox.close())

const variables: Variable[] = [
  { id: 'vUserId', name: 'User id', value: '42' },
  { id: 'vEmail', name: 'Email', value: 'jo@example.com' },
  { id: 'vName', name: 'Name', value: 'Jo' },
  { id: 'vCategory', name: 'Category', value: 'Leads' },
  { id: 'vAmount', name: 'Amount', value: '12' },
  { id: 'vEmpty', name: 'Empty' },
]

function run(effectful: Effectful<ExecutionResult>): ExecutionResult {
  return driveEffects(effectful, noEffectExpected).value
}

const live: TestContextOptions = { variables, isPreview: false }

describe('Chatwoot block', () => {
  const showBlock = chatwootBlockSchema.parse({
    id: 'cw',
    type: 'Chatwoot',
    options: {
      websiteToken: 'token123',
      baseUrl: 'https://chat.example.com/',
      user: { id: '{{User id}}', email: '{{Email}}', name: 'Mx {{Name}}', phoneNumber: '{{Empty}}' },
    },
  })

  function chatwootScript(result: ExecutionResult): { content: string; args: { id: string; value: unknown }[] } {
    const [action] = result.clientSideActions ?? []
    expect(action?.type).toBe('chatwoot')
    return (action!.chatwoot as { scriptToExecute: { content: string; args: { id: string; value: unknown }[] } }).scriptToExecute
  }

  /** Runs the script as the web client does (a function body with `args` bound by id) against a fake page. */
  function runInFakePage(script: { content: string; args: { id: string; value: unknown }[] }, isWidgetLoaded: boolean) {
    const page = `
      const calls = [];
      const listeners = {};
      const appended = [];
      globalThis.window = globalThis;
      window.addEventListener = (name, listener) => { listeners[name] = listener };
      globalThis.document = { createElement: () => ({}), head: { appendChild: (element) => appended.push(element) } };
      const widget = { setUser: (id, attributes) => calls.push(['setUser', id, attributes]), toggle: (state) => calls.push(['toggle', state]) };
      window.chatwootSDK = { run: (config) => { calls.push(['run', config]); window.$chatwoot = widget; listeners['chatwoot:ready']() } };
      if (${isWidgetLoaded}) window.$chatwoot = widget;
      await (async () => { ${script.content} })();
      if (appended.length) { calls.push(['script', appended[0].src]); appended[0].onload() }
      return calls`
    const globals = Object.fromEntries(script.args.map((arg) => [arg.id, arg.value]))
    return sandbox.runCode(page, globals)
  }

  it('loads the widget, then sets the user from variables and opens it', async () => {
    const script = chatwootScript(run(chatwootHandler.execute(showBlock, createTestContext(live))))
    expect(script.args).toEqual([
      { id: 'vUserId', value: 42 },
      { id: 'vEmail', value: 'jo@example.com' },
      { id: 'vName', value: 'Jo' },
      { id: 'vEmpty', value: undefined },
    ])
    expect(await runInFakePage(script, false)).toEqual({
      ok: true,
      value: [
        ['script', 'https://chat.example.com/packs/js/sdk.js'],
        ['run', { websiteToken: 'token123', baseUrl: 'https://chat.example.com' }],
        ['setUser', '42', { email: 'jo@example.com', name: 'Mx Jo' }],
        ['toggle', 'open'],
      ],
    })
  })

  it('opens an already loaded widget directly', async () => {
    const script = chatwootScript(run(chatwootHandler.execute(showBlock, createTestContext(live))))
    expect(await runInFakePage(script, true)).toEqual({
      ok: true,
      value: [
        ['setUser', '42', { email: 'jo@example.com', name: 'Mx Jo' }],
        ['toggle', 'open'],
      ],
    })
  })

  it('closes the widget', async () => {
    const closeBlock = chatwootBlockSchema.parse({ id: 'cw', type: 'Chatwoot', options: { task: 'Close widget' } })
    const script = chatwootScript(run(chatwootHandler.execute(closeBlock, createTestContext({ ...live, isPreview: true }))))
    expect(await runInFakePage(script, true)).toEqual({ ok: true, value: [['toggle', 'close']] })
  })

  it('sends an empty script and an info log in preview', () => {
    expect(run(chatwootHandler.execute(showBlock, createTestContext({ ...live, isPreview: true })))).toEqual({
      clientSideActions: [{ type: 'chatwoot', chatwoot: { scriptToExecute: { content: '', args: [] } } }],
      logs: [{ status: 'info', description: 'Chatwoot block is not supported in preview' }],
    })
  })
})

describe('Google Analytics block', () => {
  const block = googleAnalyticsBlockSchema.parse({
    id: 'ga',
    type: 'Google Analytics',
    options: { trackingId: 'G-123', category: '{{Category}}', action: 'Signup', label: '{{Empty}}', value: '{{Amount}}' },
  })

  it('sends the substituted event in live sessions, guessing types and dropping empty fields', () => {
    expect(run(googleAnalyticsHandler.execute(block, createTestContext(live)))).toEqual({
      clientSideActions: [
        { type: 'googleAnalytics', googleAnalytics: { trackingId: 'G-123', category: 'Leads', action: 'Signup', value: 12 } },
      ],
    })
  })

  it('sends nothing in preview', () => {
    expect(run(googleAnalyticsHandler.execute(block, createTestContext({ ...live, isPreview: true })))).toEqual({})
  })
})

describe('Pixel block', () => {
  const block = pixelBlockSchema.parse({
    id: 'px',
    type: 'Pixel',
    options: {
      pixelId: '1234567890',
      eventType: 'Purchase',
      params: [
        { id: 'p1', key: 'value', value: '{{Amount}}' },
        { id: 'p2', key: 'currency', value: 'EUR' },
      ],
    },
  })

  it('sends the event with substituted parameters and the pixel id kept as text', () => {
    expect(run(pixelHandler.execute(block, createTestContext(live)))).toEqual({
      clientSideActions: [
        {
          type: 'pixel',
          pixel: {
            pixelId: '1234567890',
            eventType: 'Purchase',
            params: [
              { id: 'p1', key: 'value', value: 12 },
              { id: 'p2', key: 'currency', value: 'EUR' },
            ],
          },
        },
      ],
    })
  })

  it.each([
    ['in preview', block, { ...live, isPreview: true }],
    ['without event', pixelBlockSchema.parse({ id: 'px', type: 'Pixel', options: { pixelId: '1' } }), live],
    ['without pixel id', pixelBlockSchema.parse({ id: 'px', type: 'Pixel', options: { eventType: 'Lead' } }), live],
  ])('sends nothing %s', (_title, pixel, contextOptions) => {
    expect(run(pixelHandler.execute(pixel, createTestContext(contextOptions)))).toEqual({})
  })
})

describe('Google Sheets blocks', () => {
  it('are skipped with an info log (the legacy OpenAI block runs as an AI block)', () => {
    const block = googleSheetsBlockSchema.parse({ id: 'gs', type: 'Google Sheets', options: { action: 'Insert a row' } })
    expect(run(skippedIntegrationHandler.execute(block, createTestContext(live)))).toEqual({
      logs: [{ status: 'info', description: 'Google Sheets block is not supported by botflow and was skipped' }],
    })
    expect(integrationHandlers.OpenAI).not.toBe(skippedIntegrationHandler)
  })
})

describe('integrationHandlers', () => {
  it('has a handler of the integration family for every integration block schema', () => {
    const types = [...integrationBlockSchemas, ...forgedAiBlockSchemas].map((schema) => schema.shape.type.value as string)
    expect(Object.keys(integrationHandlers).sort()).toEqual([...types].sort())
    expect(Object.values(integrationHandlers).every((handler) => handler.family === 'integration')).toBe(true)
  })
})
