import { describe, expect, it } from 'vitest'
import { compactState, expandState } from './compact-variables.js'
import { continueSession } from './index.js'
import { createConversation, createTestEnv, loadTypebotDocument, runEffectful, textsOf } from './test-driver.js'
import type { LoadedTypebot, TypebotSnapshot, Variable } from './types.js'
import { updateTypebotInSession } from './update-typebot.js'

type Group = { id: string; blocks: Record<string, unknown>[] }

function document(variables: Variable[], groups: Group[]) {
  const edges: { id: string; from: Record<string, string>; to: { groupId: string } }[] = [
    { id: 'e-start', from: { eventId: 'start' }, to: { groupId: groups[0]!.id } },
  ]
  const chained = groups.map((group, index) => {
    const next = groups[index + 1]
    const blocks = group.blocks.map((block) => ({ ...block }))
    if (next) {
      edges.push({ id: `e-${group.id}`, from: { blockId: String(blocks.at(-1)?.id) }, to: { groupId: next.id } })
      Object.assign(blocks[blocks.length - 1]!, { outgoingEdgeId: `e-${group.id}` })
    }
    return { id: group.id, title: group.id, graphCoordinates: { x: 0, y: 0 }, blocks }
  })
  return {
    version: '6.1',
    id: 'bot',
    name: 'Bot',
    events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'e-start' }],
    groups: chained,
    edges,
    variables,
  }
}

const text = (id: string, content: string) => ({ id, type: 'text', content: { richText: [{ type: 'p', children: [{ text: content }] }] } })
const input = (id: string, variableId: string) => ({ id, type: 'text input', options: { variableId } })

const askGroups = [
  { id: 'g-name', blocks: [input('i-name', 'name')] },
  { id: 'g-note', blocks: [input('i-note', 'note')] },
  { id: 'g-age', blocks: [input('i-age', 'age')] },
]
const v1 = loadTypebotDocument(
  document(
    [
      { id: 'name', name: 'Name' },
      { id: 'note', name: 'Note' },
      { id: 'age', name: 'Age' },
      { id: 'city', name: 'City', value: 'Paris' },
    ],
    [...askGroups, { id: 'g-bye', blocks: [text('t-bye', 'Bye {{Name}}')] }],
  ),
)
// Drops Note (answered), changes City's default, adds Mood with a default.
const v2: LoadedTypebot = {
  versionId: 'version-2',
  typebot: loadTypebotDocument(
    document(
      [
        { id: 'name', name: 'Name' },
        { id: 'age', name: 'Age' },
        { id: 'city', name: 'City', value: 'Berlin' },
        { id: 'mood', name: 'Mood', value: 'cheerful' },
      ],
      [...askGroups, { id: 'g-bye', blocks: [text('t-bye', 'Bye {{Name}} ({{Note}}, {{Age}}) from {{City}}, {{Mood}}')] }],
    ),
  ).typebot,
}
const versions = new Map<string, TypebotSnapshot>([
  [v1.versionId, v1.typebot],
  [v2.versionId, v2.typebot],
])
const snapshotOf = (versionId: string) => versions.get(versionId)

function answeredSession() {
  const chat = createConversation(v1)
  chat.start()
  chat.reply('Ada')
  chat.reply('a note')
  return compactState(chat.state, snapshotOf)
}

describe('updateTypebotInSession on a stored (compact) state', () => {
  it('keeps answered values, adds new variables with their defaults, and keeps what the new version dropped', () => {
    const stored = answeredSession()
    expect(stored.typebotsQueue[0].variables).toEqual([
      { id: 'name', name: 'Name', value: 'Ada' },
      { id: 'note', name: 'Note', value: 'a note' },
    ])
    const updated = updateTypebotInSession(stored, { typebotId: 'bot', target: v2, previous: v1.typebot })
    expect(updated.typebotsQueue[0].versionId).toBe('version-2')
    expect(updated.typebotsQueue[0].variables).toEqual([
      { id: 'name', name: 'Name', value: 'Ada' },
      { id: 'city', name: 'City', value: 'Paris' },
      { id: 'note', name: 'Note', value: 'a note' },
    ])
    expect(expandState(updated, snapshotOf).typebotsQueue[0].variables).toEqual([
      { id: 'name', name: 'Name', value: 'Ada' },
      { id: 'age', name: 'Age' },
      { id: 'city', name: 'City', value: 'Paris' },
      { id: 'mood', name: 'Mood', value: 'cheerful' },
      { id: 'note', name: 'Note', value: 'a note' },
    ])

    const turn = runEffectful(
      continueSession(
        expandState(updated, snapshotOf),
        { type: 'text', text: '36' },
        { typebots: versions, textBubbleContentFormat: 'richText' },
        createTestEnv(),
      ),
    ).value
    expect(textsOf(turn)).toEqual(['Bye Ada (a note, 36) from Paris, cheerful'])
  })

  it('is idempotent when repeated', () => {
    const once = updateTypebotInSession(answeredSession(), { typebotId: 'bot', target: v2, previous: v1.typebot })
    expect(updateTypebotInSession(once, { typebotId: 'bot', target: v2, previous: v2.typebot })).toEqual(once)
  })

  it('leaves a session of another typebot untouched', () => {
    const stored = answeredSession()
    expect(updateTypebotInSession(stored, { typebotId: 'other', target: v2, previous: v1.typebot })).toBe(stored)
  })
})
