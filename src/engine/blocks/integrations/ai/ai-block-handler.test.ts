import { describe, expect, it } from 'vitest'
import type { AiCall } from '../../../ai-call.js'
import { prepareSessionStream } from '../../../stream-session.js'
import { createConversation, createTestEnv, loadTypebotDocument, runEffectful, textsOf } from '../../../test-driver.js'
import type { EffectRequest } from '../../../types.js'

const paragraph = (text: string) => ({ richText: [{ type: 'p', children: [{ text }] }] })

/** input -> AI block -> (bubble) -> input, the bubble in the same group or behind an edge. */
function aiBot(aiOptions: Record<string, unknown>, options: { type?: string; bubble?: string; isBubbleBehindEdge?: boolean } = {}) {
  const bubble = { id: 'answer', type: 'text', content: paragraph(options.bubble ?? '{{Answer}}') }
  const after = [bubble, { id: 'next', type: 'text input', options: { variableId: 'v-q' } }]
  const ai = {
    id: 'ai',
    type: options.type ?? 'openai',
    options: aiOptions,
    ...(options.isBubbleBehindEdge ? { outgoingEdgeId: 'e-ai' } : {}),
  }
  return loadTypebotDocument({
    version: '6.1',
    id: 'bot',
    events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e-start' }],
    groups: [
      {
        id: 'g1',
        title: 'Ask',
        blocks: [
          { id: 'ask', type: 'text input', options: { variableId: 'v-q' } },
          ...(options.isBubbleBehindEdge ? [ai] : [ai, ...after]),
        ],
      },
      ...(options.isBubbleBehindEdge ? [{ id: 'g2', title: 'Answer', blocks: after }] : []),
    ],
    edges: [
      { id: 'e-start', from: { eventId: 'start' }, to: { groupId: 'g1' } },
      ...(options.isBubbleBehindEdge ? [{ id: 'e-ai', from: { blockId: 'ai' }, to: { groupId: 'g2' } }] : []),
    ],
    variables: [
      { id: 'v-q', name: 'Question' },
      { id: 'v-answer', name: 'Answer' },
      { id: 'v-tokens', name: 'Tokens' },
      { id: 'v-history', name: 'History', value: ['Hello', 'Hi, how can I help?', 'Weather?'] },
      { id: 'v-user', name: 'User messages', value: ['u1', 'u2'] },
      { id: 'v-assistant', name: 'Assistant messages', value: ['a1'] },
    ],
  })
}

const chat = (extra: Record<string, unknown> = {}) => ({
  action: 'Create chat completion',
  messages: [{ role: 'user', content: '{{Question}}' }],
  responseMapping: [
    { item: 'Message content', variableId: 'v-answer' },
    { item: 'Total tokens', variableId: 'v-tokens' },
  ],
  ...extra,
})

const credentials = [
  { id: 'cred-openai', name: 'Team key', type: 'openai' },
  { id: 'cred-anthropic', name: 'Claude', type: 'anthropic' },
]

function converse(bot: ReturnType<typeof aiBot>, answer = 'The answer') {
  const calls: AiCall[] = []
  const conversation = createConversation(bot, {
    credentials,
    ai: (request) => {
      calls.push(request.call)
      return { ok: true, text: answer, usage: { totalTokens: 42, inputTokens: 40, outputTokens: 2 }, variablesToSet: [] }
    },
  })
  conversation.start()
  return { conversation, calls }
}

describe('AI blocks', () => {
  it('finds the credentials, then asks for the call, and maps the answer and the tokens', () => {
    const { conversation, calls } = converse(aiBot(chat({ temperature: '{{Question}}' })))
    const turn = conversation.reply('0.7')
    expect(textsOf(turn)).toEqual(['The answer'])
    expect(conversation.requests.slice(-2).map((request: EffectRequest) => request.type)).toEqual(['findCredentials', 'ai'])
    expect(calls).toEqual([
      {
        provider: 'openai',
        credentialsId: 'cred-openai',
        model: 'gpt-4o-mini',
        task: { type: 'chat', messages: [{ role: 'user', content: '0.7' }], temperature: 0.7, tools: [], isVisionEnabled: true },
      },
    ])
    expect(conversation.state.typebotsQueue[0].variables.find((variable) => variable.id === 'v-tokens')?.value).toBe('42')
  })

  it.each([
    ['user', ['user', 'assistant', 'user']],
    ['assistant', ['assistant', 'user', 'assistant']],
  ])('unrolls a Dialogue starting by %s, alternating roles', (startsBy, roles) => {
    const options = chat({ messages: [{ role: 'Dialogue', dialogueVariableId: 'v-history', startsBy }] })
    const { conversation, calls } = converse(aiBot(options))
    conversation.reply('x')
    const task = calls[0]?.task
    expect(task?.type === 'chat' && task.messages).toEqual([
      { role: roles[0], content: 'Hello' },
      { role: roles[1], content: 'Hi, how can I help?' },
      { role: roles[2], content: 'Weather?' },
    ])
  })

  it("interleaves the legacy block's message sequences and puts Anthropic's system prompt first", () => {
    const legacy = {
      task: 'Create chat completion',
      messages: [
        { role: 'Messages sequence ✨', content: { userMessagesVariableId: 'v-user', assistantMessagesVariableId: 'v-assistant' } },
      ],
      responseMapping: [],
    }
    const first = converse(aiBot(legacy, { type: 'OpenAI' }))
    first.conversation.reply('x')
    const legacyTask = first.calls[0]?.task
    expect(legacyTask?.type === 'chat' && legacyTask.messages.map((message) => `${message.role}:${message.content}`)).toEqual([
      'user:u1',
      'assistant:a1',
      'user:u2',
    ])

    const anthropic = chat({ action: 'Create Chat Message', model: 'claude-sonnet-4-5', systemMessage: 'Be {{Question}}', maxTokens: 300 })
    const second = converse(aiBot(anthropic, { type: 'anthropic' }))
    second.conversation.reply('kind')
    expect(second.calls[0]).toMatchObject({
      provider: 'anthropic',
      credentialsId: 'cred-anthropic',
      task: {
        messages: [
          { role: 'system', content: 'Be kind' },
          { role: 'user', content: 'kind' },
        ],
        maxTokens: 300,
        isVisionEnabled: true,
      },
    })
  })

  it('logs why it does nothing, and the flow goes on', () => {
    const cases: [Record<string, unknown>, string | undefined, unknown][] = [
      [chat(), 'groq', { status: 'error', description: "Couldn't find credentials", details: 'This workspace has 0 groq credentials' }],
      [chat({ action: 'Create Chat Message' }), 'anthropic', { status: 'error', description: 'No model provided' }],
      [{ action: 'Teleport' }, 'openai', { description: 'openai is not configured' }],
      [{ ...chat(), messages: undefined }, 'openai', { status: 'error', description: 'No messages provided' }],
    ]
    for (const [options, type, log] of cases) {
      const { conversation, calls } = converse(aiBot(options, { type }))
      const turn = conversation.reply('x')
      expect(turn.logs).toEqual([log])
      expect(turn.input?.id).toBe('next')
      expect(calls).toEqual([])
    }
  })

  it('turns a failed call into an error log with the action context', () => {
    const conversation = createConversation(aiBot(chat()), {
      credentials,
      ai: () => ({ ok: false, log: { status: 'error', description: 'Rate limited', details: '{"error":{}}' }, variablesToSet: [] }),
    })
    conversation.start()
    const turn = conversation.reply('x')
    expect(turn.logs).toEqual([
      { status: 'error', description: 'Rate limited', details: '{"error":{}}', context: 'While generating chat completion' },
    ])
    // As in Typebot, the bubble still comes, empty.
    expect(textsOf(turn)).toEqual([''])
  })
})

describe('streaming', () => {
  it.each([
    ['in the same group', false],
    ['behind the edge of the block', true],
  ])('asks the client to stream when the next bubble, %s, is the answer alone', (_where, isBubbleBehindEdge) => {
    const bot = aiBot(chat(), { isBubbleBehindEdge })
    const { conversation, calls } = converse(bot)
    conversation.start({ isStreamEnabled: true })
    const turn = conversation.reply('Hi')
    expect(turn.clientSideActions).toEqual([{ type: 'stream', stream: true, expectsDedicatedReply: true }])
    expect(turn.messages).toEqual([])
    expect(calls).toEqual([])
    expect(conversation.state.currentBlockId).toBe('ai')

    const prepared = runEffectful(
      prepareSessionStream(conversation.state, { typebots: new Map([[bot.versionId, bot.typebot]]) }, createTestEnv()),
      () => ({
        type: 'findCredentials',
        credentials: { id: 'cred-openai', name: 'Team key' },
      }),
    )
    expect(prepared.value).toMatchObject({ status: 'ready', blockId: 'ai', call: { provider: 'openai', model: 'gpt-4o-mini' } })

    const next = conversation.reply('"Streamed answer"')
    expect(textsOf(next)).toEqual([])
    expect(next.input?.id).toBe('next')
    expect(conversation.state.typebotsQueue[0].variables.find((variable) => variable.id === 'v-answer')?.value).toBe('Streamed answer')
  })

  it('does not stream when the session did not ask for it, or the bubble holds more than the answer', () => {
    const plain = converse(aiBot(chat()))
    expect(plain.conversation.reply('Hi').clientSideActions).toEqual([])
    const decorated = converse(aiBot(chat(), { bubble: 'Answer: {{Answer}}' }))
    decorated.conversation.start({ isStreamEnabled: true })
    expect(decorated.conversation.reply('Hi').clientSideActions).toEqual([])
  })
})
