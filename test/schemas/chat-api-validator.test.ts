import { describe, expect, it } from 'vitest'
import { validateChatApiRequest, validateChatApiResponse } from '../helpers/chat-api-validator.js'

const startChatPath = '/v1/typebots/{publicId}/startChat'

/** What startChat answers for a bot that greets and asks a name (docs/runtime.md §3.1). */
function startChatBody(): Record<string, unknown> {
  return {
    sessionId: 'clsession0000000000000000',
    resultId: 'clresult00000000000000000',
    typebot: { id: 'cltypebot0000000000000000', version: '6.1', theme: {}, settings: {}, publishedAt: '2024-05-01T10:00:00.000Z' },
    messages: [
      { id: 'bubble-1', type: 'text', content: { type: 'richText', richText: [{ type: 'p', children: [{ text: 'Hi!' }] }] } },
      { id: 'bubble-2', type: 'image', content: { url: 'https://example.com/cat.png' } },
    ],
    input: {
      id: 'input-1',
      type: 'text input',
      outgoingEdgeId: 'edge-1',
      options: { labels: { placeholder: 'Your name' }, variableId: 'var-name' },
      prefilledValue: 'Ada',
    },
  }
}

describe('validateChatApiResponse', () => {
  it('accepts a startChat body shaped like Typebot’s', () => {
    expect(validateChatApiResponse(startChatPath, 'post', 200, startChatBody())).toEqual({ valid: true, errors: [] })
  })

  it('accepts the path with its /api prefix', () => {
    expect(validateChatApiResponse(`/api${startChatPath}`, 'post', 200, startChatBody()).valid).toBe(true)
  })

  const typebotWith = (fields: Record<string, unknown>) => ({ id: 't', version: '6', theme: {}, settings: {}, ...fields })
  it.each([
    { title: 'without messages', omit: 'messages', patch: {}, error: 'messages' },
    { title: 'without sessionId', omit: 'sessionId', patch: {}, error: 'sessionId' },
    { title: 'with an unknown typebot version', patch: { typebot: typebotWith({ version: '7' }) }, error: '/typebot/version' },
    {
      title: 'with a publishedAt that is not a date',
      patch: { typebot: typebotWith({ publishedAt: 'yesterday' }) },
      error: '/typebot/publishedAt',
    },
    {
      title: 'with a bubble of unknown type',
      patch: { messages: [{ id: 'b', type: 'hologram', content: {} }] },
      error: '/messages/0',
    },
  ])('refuses a startChat body $title', ({ omit, patch, error }) => {
    const body: Record<string, unknown> = { ...startChatBody(), ...patch }
    if (omit) delete body[omit]
    const result = validateChatApiResponse(startChatPath, 'post', 200, body)
    expect(result.valid).toBe(false)
    expect(result.errors.join('\n')).toContain(error)
  })

  it('checks continueChat and error bodies too', () => {
    const continueChatPath = '/v1/sessions/{sessionId}/continueChat'
    expect(validateChatApiResponse(continueChatPath, 'post', 200, { messages: [] }).valid).toBe(true)
    const notFound = { defined: true, code: 'NOT_FOUND', status: 404, message: 'Session not found.' }
    expect(validateChatApiResponse(continueChatPath, 'post', 404, notFound).valid).toBe(true)
    expect(validateChatApiResponse(continueChatPath, 'post', 404, { message: 'Session not found.' }).valid).toBe(false)
  })

  it('says so when the document declares no such operation or status', () => {
    expect(validateChatApiResponse('/v1/nothing', 'post', 200, {})).toEqual({
      valid: false,
      errors: ['The Chat API has no POST /v1/nothing'],
    })
    expect(validateChatApiResponse(startChatPath, 'post', 418, {}).valid).toBe(false)
  })
})

describe('validateChatApiRequest', () => {
  it('resolves the components a request body refers to', () => {
    const path = '/v1/sessions/{sessionId}/continueChat'
    expect(validateChatApiRequest(path, 'post', { message: { type: 'text', text: 'Hello' } }).valid).toBe(true)
    expect(validateChatApiRequest(path, 'post', { message: { type: 'command', command: 'restart' } }).valid).toBe(true)
    expect(validateChatApiRequest(path, 'post', { message: { type: 'command' } }).valid).toBe(false)
  })
})
