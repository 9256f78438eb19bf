import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../errors.js'
import type { HttpRequestBlock } from '../../../schemas/blocks/integrations.js'
import { webhookBlockSchema, zapierBlockSchema } from '../../../schemas/blocks/integrations.js'
import type { BlockContext } from '../../block-handler.js'
import type { EffectRequest, EffectResult, HttpResponseResult, Variable } from '../../types.js'
import { httpRequestHandler } from './http-request-handler.js'
import type { TestContextOptions } from './test-context.js'
import { createTestContext, driveEffects, noEffectExpected } from './test-context.js'

const fixturesDir = new URL('../../../../test/fixtures/reference/typebots/', import.meta.url)

function fixtureBlock(fixture: string, blockId: string): HttpRequestBlock {
  const document = JSON.parse(readFileSync(new URL(fixture, fixturesDir), 'utf8')) as { groups: { blocks: { id: string }[] }[] }
  const raw = document.groups.flatMap((group) => group.blocks).find((block) => block.id === blockId)
  return webhookBlockSchema.parse(raw)
}

function webhookBlock(options: Record<string, unknown>): HttpRequestBlock {
  return webhookBlockSchema.parse({ id: 'http1', type: 'Webhook', options })
}

function context(options: TestContextOptions = {}): BlockContext {
  return createTestContext(options)
}

function execute(block: HttpRequestBlock, ctx: BlockContext, response: HttpResponseResult = { statusCode: 200, data: {}, text: '{}' }) {
  return driveEffects(httpRequestHandler.execute(block, ctx), (request) => {
    if (request.type === 'findWebhookBlockUrl') return { type: 'findWebhookBlockUrl' }
    if (request.type !== 'httpRequest') throw new Error(`unexpected ${request.type}`)
    return { type: 'httpRequest', response }
  })
}

/** The one HTTP request sent (looking up a Zapier or Make subscription is not sending). */
function sentRequest(requests: EffectRequest[]) {
  const sent = requests.filter((request) => request.type !== 'findWebhookBlockUrl')
  expect(sent).toHaveLength(1)
  const [request] = sent
  if (request?.type !== 'httpRequest') throw new Error('expected an httpRequest effect')
  return request.request
}

// Variables of webhook.json once "John", "30" and "Male" were answered.
const webhookVariables: Variable[] = [
  { id: 'vcl9ipajth000c3b6okl97r81j', name: 'Name', value: 'John' },
  { id: 'vcl9ipaszl000e3b6ousjxuw7b', name: 'Age', value: '30' },
  { id: 'vcl9ipbokm000n3b6o06hvarrf', name: 'Full body', value: '{\n  "name": "John",\n  "age": 25,\n  "gender": "male"\n}' },
  { id: 'vcl9ipdxnj000q3b6oy55th4xb', name: 'Data' },
  { id: 'vcl9ipg4tb00103b6oue08w3nm', name: 'Gender', value: 'Male' },
]

describe('HTTP request block, server side (webhook.json)', () => {
  it('sends the custom JSON body with quoted and raw placeholders filled in', () => {
    const block = fixtureBlock('webhook.json', 'cl9ipbcjy000k3b6oe8lta5c1')
    const { requests } = execute(block, context({ variables: webhookVariables }))
    expect(sentRequest(requests)).toEqual({
      url: 'http://localhost:3000/api/mock/mirror-body',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":"John","age":30,"gender":"Male"}',
    })
  })

  it('maps the mirrored body into Data and logs the success with request and response', () => {
    const block = fixtureBlock('webhook.json', 'cl9ipbcjy000k3b6oe8lta5c1')
    const mirrored = '{"name":"John","age":30,"gender":"Male"}'
    const { value } = execute(block, context({ variables: webhookVariables }), {
      statusCode: 200,
      data: JSON.parse(mirrored),
      text: mirrored,
    })
    expect(value.state?.typebotsQueue[0].variables.find((variable) => variable.name === 'Data')?.value).toBe(mirrored)
    expect(value.logs).toEqual([
      {
        status: 'success',
        description: 'Webhook successfuly executed.',
        details: JSON.stringify({
          statusCode: 200,
          response: mirrored,
          request: { url: 'http://localhost:3000/api/mock/mirror-body', method: 'POST', body: { name: 'John', age: 30, gender: 'Male' } },
        }),
      },
    ])
    expect(value.outgoingEdgeId).toBeUndefined()
  })

  it("sends a body made of one variable as that variable's JSON", () => {
    const block = fixtureBlock('webhook.json', 'cl9ipej6c000w3b6otzk247vl')
    const { requests } = execute(block, context({ variables: webhookVariables }))
    expect(sentRequest(requests).body).toBe('{"name":"John","age":25,"gender":"male"}')
  })

  it('sends the default body of answers and variables and logs an error status', () => {
    const block = fixtureBlock('webhook.json', 'cl9ipki9u00193b6okmhudo0f')
    const ctx = context({
      variables: [
        ...webhookVariables.slice(0, 2),
        { id: 'vList', name: 'Tags', value: ['a', 'b'] },
        { id: 'vEmpty', name: 'Empty', value: null },
      ],
      answers: [
        { key: 'Name', value: 'answer text' },
        { key: 'Send failing webhook', value: 'Send failing webhook' },
      ],
    })
    const { requests, value } = execute(block, ctx, { statusCode: 500, data: { error: 'fail' }, text: '{"error":"fail"}' })
    expect(JSON.parse(sentRequest(requests).body ?? '')).toEqual({
      submittedAt: '2024-06-15T12:00:00.000Z',
      Name: 'John',
      'Send failing webhook': 'Send failing webhook',
      Age: '30',
      Tags: 'a,b',
    })
    expect(value.logs).toEqual([
      {
        status: 'error',
        description: 'Webhook returned an error.',
        details: JSON.stringify({
          statusCode: 500,
          request: { url: 'http://localhost:3000/api/mock/fail', method: 'POST', body: JSON.parse(sentRequest(requests).body ?? '') },
          response: '{"error":"fail"}',
        }),
      },
    ])
  })
})

describe('HTTP request block, building the request', () => {
  it('logs "Couldn\'t parse webhook attributes" without sending when there is no URL (chat/main.json)', () => {
    const document = JSON.parse(readFileSync(new URL('chat/main.json', fixturesDir), 'utf8')) as { groups: { blocks: { id: string }[] }[] }
    const block = webhookBlockSchema.parse(
      document.groups.flatMap((group) => group.blocks).find((candidate) => candidate.id === 'clauut2nq001r3b6qi437ixc7'),
    )
    const { value, requests } = driveEffects(httpRequestHandler.execute(block, context()), noSubscription)
    expect(requests).toEqual([{ type: 'findWebhookBlockUrl', typebotId: 'typebot1', blockId: 'clauut2nq001r3b6qi437ixc7' }])
    expect(value).toEqual({ logs: [{ status: 'error', description: "Couldn't parse webhook attributes" }] })
  })

  it('skips a block without request definition silently', () => {
    const block = webhookBlockSchema.parse({ id: 'w', type: 'Webhook', options: { responseVariableMapping: [] } })
    expect(driveEffects(httpRequestHandler.execute(block, context()), noSubscription).value).toEqual({})
  })

  it('sends to the URL Zapier subscribed to the block, with the default body', () => {
    const block = zapierBlockSchema.parse({ id: 'z', type: 'Zapier', options: {} })
    const { requests } = driveEffects(httpRequestHandler.execute(block, context()), (request) =>
      request.type === 'findWebhookBlockUrl'
        ? { type: 'findWebhookBlockUrl', url: 'https://hooks.zapier.com/hooks/catch/1/abc' }
        : { type: 'httpRequest', response: { statusCode: 200, data: {} } },
    )
    expect(requests[0]).toEqual({ type: 'findWebhookBlockUrl', typebotId: 'typebot1', blockId: 'z' })
    expect(sentRequest(requests)).toMatchObject({
      url: 'https://hooks.zapier.com/hooks/catch/1/abc',
      method: 'POST',
      body: '{"submittedAt":"2024-06-15T12:00:00.000Z"}',
    })
  })

  it('builds the query string and headers, dropping empty rows and encoding Basic credentials', () => {
    const block = webhookBlock({
      webhook: {
        url: 'https://api.example.com/{{Path}}',
        method: 'GET',
        queryParams: [
          { id: 'q1', key: 'tag', value: 'a b' },
          { id: 'q2', key: 'tag', value: '{{Name}}' },
          { id: 'q3', key: 'empty', value: '{{Unset}}' },
          { id: 'q4', key: '', value: 'no key' },
        ],
        headers: [
          { id: 'h1', key: 'authorization', value: 'Basic {{User}}:pässword' },
          { id: 'h2', key: 'X-Empty', value: '' },
          { id: 'h3', key: 'X-Name', value: '{{Name}}' },
        ],
        body: '{"ignored": true}',
      },
      isCustomBody: true,
    })
    const variables: Variable[] = [
      { id: 'v1', name: 'Path', value: 'items' },
      { id: 'v2', name: 'Name', value: 'Zoé' },
      { id: 'v3', name: 'User', value: 'bob' },
      { id: 'v4', name: 'Unset' },
    ]
    expect(sentRequest(execute(block, context({ variables })).requests)).toEqual({
      url: 'https://api.example.com/items?tag=a%20b&tag=Zo%C3%A9',
      method: 'GET',
      headers: { authorization: `Basic ${Buffer.from('bob:pässword').toString('base64')}`, 'X-Name': 'Zoé' },
    })
  })

  it('appends the query string to a URL that already has one', () => {
    const block = webhookBlock({
      webhook: { url: 'https://api.example.com/?a=1', method: 'GET', queryParams: [{ id: 'q', key: 'b', value: '2' }] },
    })
    expect(sentRequest(execute(block, context()).requests).url).toBe('https://api.example.com/?a=1&b=2')
  })

  it.each([
    [
      'JSON escapes string values inserted in quotes',
      '{"text": "{{Quote}}"}',
      { 'Content-Type': 'application/json' },
      '{"text":"He said \\"hi\\"\\nbye"}',
      { 'Content-Type': 'application/json' },
    ],
    [
      'keeps integers beyond 2^53 exactly',
      '{"id": 12345678901234567890}',
      {},
      '{"id":12345678901234567890}',
      { 'Content-Type': 'application/json' },
    ],
    ['sends text that is not JSON as it is, without a content type', 'name={{Name}}', {}, 'name=John', {}],
    [
      'sends JSON as form fields when Content-Type asks for it',
      '{"name": "{{Name}}", "tags": ["a"], "n": 1}',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      'name=John&tags=%5B%22a%22%5D&n=1',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ],
    [
      'keeps a content type given in another case',
      '{"a": 1}',
      { 'content-type': 'application/vnd.api+json' },
      '{"a":1}',
      { 'content-type': 'application/vnd.api+json' },
    ],
  ])('body: %s', (_title, body, headers, expectedBody, expectedHeaders) => {
    const block = webhookBlock({
      webhook: {
        url: 'https://api.example.com',
        method: 'PUT',
        body,
        headers: Object.entries(headers).map(([key, value], index) => ({ id: `h${index}`, key, value })),
      },
      isCustomBody: true,
    })
    const variables: Variable[] = [
      { id: 'v1', name: 'Name', value: 'John' },
      { id: 'v2', name: 'Quote', value: 'He said "hi"\nbye' },
    ]
    const request = sentRequest(execute(block, context({ variables })).requests)
    expect(request.body).toBe(expectedBody)
    expect(request.headers).toEqual(expectedHeaders)
  })

  it('treats a {{state}} custom body as the default body', () => {
    const block = webhookBlock({ webhook: { url: 'https://api.example.com', body: '{{state}}' }, isCustomBody: true })
    expect(sentRequest(execute(block, context()).requests).body).toBe('{"submittedAt":"2024-06-15T12:00:00.000Z"}')
  })

  it.each([
    ['the block timeout', webhookBlockSchema, { timeout: 30 }, 'https://api.example.com', 30_000],
    ['at most 120 seconds', webhookBlockSchema, { timeout: 500 }, 'https://api.example.com', 120_000],
    ['the server default for the editor default of 10 s', webhookBlockSchema, { timeout: 10 }, 'https://api.example.com', undefined],
    ['the server default without timeout', webhookBlockSchema, {}, 'https://api.example.com', undefined],
    ['120 s for slow AI services', webhookBlockSchema, {}, 'https://api.openai.com/v1/chat/completions', 120_000],
    ['120 s for Zapier', zapierBlockSchema, { timeout: 10 }, 'https://hooks.zapier.com/x', 120_000],
  ])('timeout: %s', (_title, schema, options, url, timeoutMs) => {
    const block = schema.parse({ id: 'b', type: schema.shape.type.value, options: { ...options, webhook: { url, method: 'GET' } } })
    expect(sentRequest(execute(block, context()).requests).timeoutMs).toBe(timeoutMs)
  })
})

describe('HTTP request block, response mapping', () => {
  const variables: Variable[] = [
    { id: 'vStatus', name: 'Status' },
    { id: 'vIds', name: 'Ids' },
    { id: 'vFirst', name: 'First' },
    { id: 'vBroken', name: 'Broken', value: 'kept' },
    { id: 'vField', name: 'Field', value: 'name' },
  ]
  const block = webhookBlock({
    webhook: { url: 'https://api.example.com/items', method: 'GET' },
    responseVariableMapping: [
      { id: 'm1', variableId: 'vStatus', bodyPath: 'statusCode' },
      { id: 'm2', variableId: 'vIds', bodyPath: 'data.items.map(item => item.id)' },
      { id: 'm3', variableId: 'vFirst', bodyPath: 'data.items[0].{{Field}}' },
      { id: 'm4', variableId: 'vBroken', bodyPath: 'data.missing.deeper' },
      { id: 'm5', variableId: 'vUnknown', bodyPath: 'data' },
      { id: 'm6', bodyPath: 'data' },
    ],
  })
  const response: HttpResponseResult = {
    statusCode: 200,
    data: {
      items: [
        { id: 1, name: 'One' },
        { id: 2, name: 'Two' },
      ],
    },
  }

  it('evaluates each body path over statusCode and data, skipping failing and unknown mappings', () => {
    const { value } = execute(block, context({ variables }), response)
    const values = Object.fromEntries(value.state!.typebotsQueue[0].variables.map((variable) => [variable.name, variable.value]))
    expect(values).toEqual({ Status: '200', Ids: ['1', '2'], First: 'One', Broken: 'kept', Field: 'name' })
  })

  it('records the mapped variables in the set-variable history against the block', () => {
    const { value } = execute(block, context({ variables, historyVariableIds: ['vStatus', 'vFirst'] }), response)
    expect(value.setVariableHistory).toEqual([
      { blockId: 'http1', variableId: 'vStatus', value: '200', blockIndex: 0, index: 0 },
      { blockId: 'http1', variableId: 'vFirst', value: 'One', blockIndex: 0, index: 1 },
    ])
  })

  it('maps a refused request (ssrf-test.json): status 400 and the refusal logged', () => {
    const ssrfBlock = fixtureBlock('ssrf-test.json', 'blk-http-request')
    const ssrfVariables: Variable[] = [
      { id: 'var-url', name: 'URL', value: 'http://169.254.169.254/latest/meta-data/' },
      { id: 'var-status', name: 'Status' },
      { id: 'var-response', name: 'Response' },
    ]
    const message = 'Security validation failed: linkLocal address 169.254.169.254 is not allowed'
    const { value, requests } = execute(ssrfBlock, context({ variables: ssrfVariables }), {
      statusCode: 400,
      data: { message },
      error: message,
    })
    expect(sentRequest(requests)).toEqual({ url: 'http://169.254.169.254/latest/meta-data/', method: 'GET', headers: {} })
    const values = Object.fromEntries(value.state!.typebotsQueue[0].variables.map((variable) => [variable.name, variable.value]))
    expect(values).toMatchObject({ Status: '400', Response: JSON.stringify({ message }) })
    expect(value.logs).toEqual([
      {
        status: 'error',
        description: message,
        details: JSON.stringify({ statusCode: 400, request: { url: 'http://169.254.169.254/latest/meta-data/', method: 'GET' } }),
      },
    ])
  })
})

describe('HTTP request block, executed on the client', () => {
  const block = webhookBlock({
    isExecutedOnClient: true,
    webhook: {
      url: 'https://api.example.com/{{Path}}',
      method: 'POST',
      headers: [{ id: 'h', key: 'X-Key', value: 'k' }],
      body: '{"name": "{{Name}}"}',
    },
    isCustomBody: true,
    responseVariableMapping: [{ id: 'm', variableId: 'vResult', bodyPath: 'data.value' }],
  })
  const variables: Variable[] = [
    { id: 'vPath', name: 'Path', value: 'items' },
    { id: 'vName', name: 'Name', value: 'John' },
    { id: 'vResult', name: 'Result' },
  ]

  it('stops on a blocking httpRequestToExecute action instead of sending', () => {
    const { value, requests } = driveEffects(httpRequestHandler.execute(block, context({ variables })), noEffectExpected)
    expect(requests).toEqual([])
    expect(value).toEqual({
      clientSideActions: [
        {
          type: 'httpRequestToExecute',
          httpRequestToExecute: {
            url: 'https://api.example.com/items',
            method: 'POST',
            headers: { 'X-Key': 'k', 'Content-Type': 'application/json' },
            body: { name: 'John' },
          },
          expectsDedicatedReply: true,
        },
      ],
    })
  })

  it.each([
    [
      'a success',
      { statusCode: 200, data: { value: 'done' } },
      'done',
      { status: 'success', description: 'HTTP request executed successfully!', details: '{"value":"done"}' },
    ],
    [
      'an error status',
      { statusCode: 404, data: 'Not found' },
      null,
      { status: 'error', description: 'HTTP request returned error', details: '"Not found"' },
    ],
    [
      'the client failure answer',
      { statusCode: 500, data: 'An error occured while executing the webhook on the client' },
      null,
      {
        status: 'error',
        description: 'HTTP request returned error',
        details: '"An error occured while executing the webhook on the client"',
      },
    ],
  ])('applies the mapping to the client reply: %s', (_title, reply, expectedResult, log) => {
    const resumed = httpRequestHandler.resume!(block, JSON.stringify(reply), context({ variables }))
    const { value } = driveEffects(resumed, noEffectExpected)
    expect(value.state?.typebotsQueue[0].variables.find((variable) => variable.id === 'vResult')?.value ?? null).toBe(expectedResult)
    expect(value.logs).toEqual([log])
  })

  it('runs no mapping when the reply is JSON but not an object', () => {
    const { value } = driveEffects(httpRequestHandler.resume!(block, '[1, 2]', context({ variables })), noEffectExpected)
    expect(value).toEqual({})
  })

  it('refuses a reply that is not JSON with a 400-class error', () => {
    const resumed = httpRequestHandler.resume!(block, 'not json', context({ variables }))
    expect(() => driveEffects(resumed, noEffectExpected)).toThrow(new AppError('INVALID_REQUEST', 'Provided response is not valid JSON'))
  })
})

/** No Zapier or Make subscription for the block; any other effect is unexpected. */
function noSubscription(request: EffectRequest): EffectResult {
  if (request.type === 'findWebhookBlockUrl') return { type: 'findWebhookBlockUrl' }
  return noEffectExpected(request)
}
