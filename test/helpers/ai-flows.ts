/**
 * Typebots around one AI block for tests: a text input feeds `{{Question}}`, the AI block answers
 * into `{{Answer}}`, a bubble shows it, then another input waits. Blocks are written the way
 * Typebot exports them.
 */
import { readFileSync } from 'node:fs'
import { buildTypebot, type TestBlock, text, textInput } from './flow-builder.js'
import type { TestUser } from './users.js'

export const aiVariables = [
  { id: 'v-question', name: 'Question' },
  { id: 'v-answer', name: 'Answer' },
  { id: 'v-tokens', name: 'Tokens' },
  { id: 'v-history', name: 'History' },
  { id: 'v-city', name: 'City' },
  { id: 'v-age', name: 'Age' },
  { id: 'v-response-id', name: 'ResponseId' },
]

export function forgedAiBlock(type: string, options: Record<string, unknown>): TestBlock {
  return { id: 'ai', type, options }
}

/** A chat action answering `{{Question}}` into `{{Answer}}`, with the total tokens in `{{Tokens}}`. */
export function chatOptions(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: 'Create chat completion',
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: '{{Question}}' },
    ],
    responseMapping: [
      { item: 'Message content', variableId: 'v-answer' },
      { item: 'Total tokens', variableId: 'v-tokens' },
    ],
    ...extra,
  }
}

/** input -> AI block -> bubble `{{Answer}}` -> bubble with the tokens -> input (-> the AI block again with `loop`). */
export function aiFlow(aiBlock: TestBlock, options: { answerBubble?: string; loop?: boolean } = {}) {
  return buildTypebot({
    name: 'AI flow',
    variables: aiVariables,
    groups: [
      { id: 'g-ask', title: 'Ask', blocks: [text('t-hi', 'Ask me anything'), textInput('i-question', 'v-question')], next: 'g-ai' },
      {
        id: 'g-ai',
        title: 'AI',
        blocks: [
          aiBlock,
          text('t-answer', options.answerBubble ?? '{{Answer}}'),
          text('t-tokens', 'Tokens: {{Tokens}}'),
          textInput('i-next', 'v-question'),
        ],
        ...(options.loop ? { next: 'g-ai' } : {}),
      },
    ],
  })
}

/** Stores credentials through the API and returns their id. */
export async function addCredentials(owner: TestUser, type: string, data: Record<string, unknown>, name = `${type} key`): Promise<string> {
  const created = await owner.call('POST', `/v1/workspaces/${owner.workspaceId}/credentials`, { body: { type, name, data } })
  if (created.status !== 200) throw new Error(`credentials not created: ${JSON.stringify(created.body)}`)
  return created.body.credentials.id
}

/** The template as Typebot ships it, with its Start event reconnected to "Intro" as the template asks. */
export function readBasicChatGptTemplate(): Record<string, unknown> {
  const template = JSON.parse(readFileSync(new URL('../fixtures/templates/basic-chat-gpt.json', import.meta.url), 'utf8'))
  const intro = template.groups.find((group: { title: string }) => group.title === 'Intro')
  const startEdge = template.edges.find((edge: { from: { eventId?: string } }) => edge.from.eventId === template.events[0].id)
  startEdge.to = { groupId: intro.id }
  return template
}
