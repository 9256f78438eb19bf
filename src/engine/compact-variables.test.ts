import { describe, expect, it } from 'vitest'
import { compactState, expandState, rebaseVariables, type SnapshotOf } from './compact-variables.js'
import { createConversation, loadTypebotDocument } from './test-driver.js'
import type { CompactSessionState, QueueEntry, SessionState, TypebotQueue, TypebotSnapshot, Variable } from './types.js'

function snapshotWith(id: string, variables: Variable[]): TypebotSnapshot {
  return { id, version: '6.1', groups: [], events: [], edges: [], variables, settings: {}, theme: {} }
}

const main = snapshotWith('main', [
  { id: 'name', name: 'Name' },
  { id: 'city', name: 'City', value: 'Paris' },
  { id: 'tags', name: 'Tags', value: ['a', 'b'] },
  { id: 'age', name: 'Age', isSessionVariable: true },
])
const linked = snapshotWith('linked', [
  { id: 'l-name', name: 'Name' },
  { id: 'l-score', name: 'Score', value: '10' },
])
const snapshots: SnapshotOf = (versionId) => ({ 'v-main': main, 'v-linked': linked })[versionId]

function entry(versionId: string, variables: Variable[], extra: Partial<QueueEntry> = {}): QueueEntry {
  return { typebotId: versionId.slice(2), versionId, variables, answers: [], ...extra }
}

function state(...typebotsQueue: TypebotQueue): SessionState {
  return { version: 'botflow-1', workspaceId: 'w', isPreview: false, typebotsQueue, currentBlockId: 'b1' }
}

const untouchedMain = main.variables.map((variable) => ({ ...variable }))

describe('compactState / expandState', () => {
  it.each<[string, SessionState]>([
    ['a session without values', state(entry('v-main', untouchedMain))],
    [
      'answered values, a cleared default and a changed list',
      state(
        entry('v-main', [
          { id: 'name', name: 'Name', value: 'Ada' },
          { id: 'city', name: 'City', value: null },
          { id: 'tags', name: 'Tags', value: ['a', null] },
          { id: 'age', name: 'Age', isSessionVariable: true, value: '30' },
        ]),
      ),
    ],
    [
      'variables only the session has (kept after an update, merged from a child)',
      state(entry('v-main', [...untouchedMain, { id: 'gone', name: 'Gone' }, { id: 'extra', name: 'Extra', value: 'x' }])),
    ],
    [
      'several queue entries (a linked typebot above its parent)',
      state(
        entry(
          'v-linked',
          [
            { id: 'l-name', name: 'Name', value: 'Ada' },
            { id: 'l-score', name: 'Score' },
          ],
          { resultId: 'r2', queuedEdgeIds: ['e1'] },
        ),
        entry('v-main', [{ id: 'name', name: 'Name', value: 'Ada' }, ...untouchedMain.slice(1)], {
          resultId: 'r1',
          answers: [{ key: 'Name', value: 'Ada' }],
        }),
      ),
    ],
  ])('gives back %s exactly', (_title, full) => {
    const compact = compactState(full, snapshots)
    expect(compact.version).toBe('botflow-2')
    expect(JSON.parse(JSON.stringify(expandState(JSON.parse(JSON.stringify(compact)), snapshots)))).toEqual(
      JSON.parse(JSON.stringify(full)),
    )
  })

  it('stores only what the version does not imply', () => {
    const full = state(
      entry('v-linked', [
        { id: 'l-name', name: 'Name', value: 'Ada' },
        { id: 'l-score', name: 'Score' },
      ]),
      entry('v-main', [
        { id: 'name', name: 'Name', value: 'Ada' },
        { id: 'city', name: 'City', value: 'Paris' },
        { id: 'tags', name: 'Tags', value: ['a', 'b'] },
        { id: 'age', name: 'Age', isSessionVariable: true },
        { id: 'extra', name: 'Extra' },
      ]),
    )
    expect(compactState(full, snapshots).typebotsQueue.map((queued) => queued.variables)).toEqual([
      // The linked typebot's initial value was not inherited: that differs from its declaration.
      [
        { id: 'l-name', name: 'Name', value: 'Ada' },
        { id: 'l-score', name: 'Score' },
      ],
      [
        { id: 'name', name: 'Name', value: 'Ada' },
        { id: 'extra', name: 'Extra' },
      ],
    ])
    expect(compactState(state(entry('v-main', untouchedMain)), snapshots).typebotsQueue[0].variables).toEqual([])
  })

  it('expands in the canonical order: declared order, then the session-only variables in stored order', () => {
    const compact: CompactSessionState = {
      ...state(
        entry('v-main', [
          { id: 'z', name: 'Z', value: '1' },
          { id: 'age', name: 'Age', isSessionVariable: true, value: '30' },
          { id: 'y', name: 'Y' },
        ]),
      ),
      version: 'botflow-2',
    }
    expect(expandState(compact, snapshots).typebotsQueue[0].variables.map((variable) => [variable.id, variable.value])).toEqual([
      ['name', undefined],
      ['city', 'Paris'],
      ['tags', ['a', 'b']],
      ['age', '30'],
      ['z', '1'],
      ['y', undefined],
    ])
  })

  it('leaves a full state stored before compaction as it is, and compacts it to the canonical order', () => {
    // The former engine moved updated variables last (§5.1 rule 6).
    const legacy = state(
      entry('v-main', [untouchedMain[1]!, untouchedMain[2]!, untouchedMain[3]!, { id: 'name', name: 'Name', value: 'Ada' }]),
    )
    expect(expandState(legacy, snapshots)).toBe(legacy)
    const compact = compactState(legacy, snapshots)
    expect(compact.typebotsQueue[0].variables).toEqual([{ id: 'name', name: 'Name', value: 'Ada' }])
    expect(expandState(compact, snapshots).typebotsQueue[0].variables).toEqual([
      { id: 'name', name: 'Name', value: 'Ada' },
      ...untouchedMain.slice(1),
    ])
  })

  it('keeps the whole list of an entry whose version is not available', () => {
    const full = state(entry('v-unknown', [{ id: 'a', name: 'A' }]))
    const compact = compactState(full, snapshots)
    expect(compact.typebotsQueue[0].variables).toEqual([{ id: 'a', name: 'A' }])
    expect(expandState(compact, snapshots).typebotsQueue[0].variables).toEqual([{ id: 'a', name: 'A' }])
  })

  it('round-trips the states the engine produces', () => {
    const bot = loadTypebotDocument({
      version: '6.1',
      id: 'bot',
      name: 'Bot',
      events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'e0' }],
      groups: [
        {
          id: 'g1',
          title: 'Ask',
          graphCoordinates: { x: 0, y: 0 },
          blocks: [{ id: 'in-name', type: 'text input', options: { variableId: 'last' }, outgoingEdgeId: 'e1' }],
        },
        {
          id: 'g2',
          title: 'Set',
          graphCoordinates: { x: 0, y: 0 },
          blocks: [
            { id: 'sv', type: 'Set variable', options: { variableId: 'first', expressionToEvaluate: '"set"' } },
            { id: 'in-age', type: 'text input', options: { variableId: 'middle' } },
          ],
        },
      ],
      edges: [
        { id: 'e0', from: { eventId: 'start' }, to: { groupId: 'g1' } },
        { id: 'e1', from: { blockId: 'in-name' }, to: { groupId: 'g2' } },
      ],
      variables: [
        { id: 'first', name: 'First' },
        { id: 'middle', name: 'Middle', value: 'm' },
        { id: 'last', name: 'Last' },
      ],
    })
    const chat = createConversation(bot)
    chat.start()
    chat.reply('Ada')
    const byVersion: SnapshotOf = (versionId) => (versionId === bot.versionId ? bot.typebot : undefined)
    const compact = compactState(chat.state, byVersion)
    expect(compact.typebotsQueue[0].variables).toEqual([
      { id: 'first', name: 'First', value: 'set' },
      { id: 'last', name: 'Last', value: 'Ada' },
    ])
    expect(expandState(compact, byVersion)).toEqual(chat.state)
  })
})

/** Typebot's merge of full lists (§8.1 step 4) in the canonical order: what the rebase must equal. */
function mergeFullLists(session: Variable[], target: Variable[]): Variable[] {
  const sessionById = new Map(session.map((variable) => [variable.id, variable]))
  const targetIds = new Set(target.map((variable) => variable.id))
  return [
    ...target.map((variable) => sessionById.get(variable.id) ?? variable),
    ...session.filter((variable) => !targetIds.has(variable.id)),
  ]
}

describe('rebaseVariables', () => {
  const previous = snapshotWith('bot', [
    { id: 'a', name: 'Name' },
    { id: 'b', name: 'Age' },
    { id: 'c', name: 'City', value: 'Paris' },
    { id: 'd', name: 'Dropped' },
    { id: 'e', name: 'Dropped with value' },
    { id: 'r', name: 'Before rename' },
  ])
  const target = snapshotWith('bot', [
    { id: 'a', name: 'Name' },
    { id: 'b', name: 'Age' },
    { id: 'c', name: 'City', value: 'Berlin' },
    { id: 'm', name: 'Mood', value: 'happy' },
    { id: 'n', name: 'New' },
    { id: 'r', name: 'After rename' },
    { id: 'x', name: 'Was session-only' },
  ])
  const stored: Variable[] = [
    { id: 'a', name: 'Name', value: 'Ada' },
    { id: 'e', name: 'Dropped with value', value: 'kept' },
    { id: 'x', name: 'Was session-only', value: 'sx' },
    { id: 'y', name: 'Session-only', value: 'only' },
  ]

  it("equals compacting Typebot's merge of the full lists", () => {
    const rebased = rebaseVariables(stored, previous, target)
    const viaFullLists = mergeFullLists(expandState(compactOf(stored), () => previous).typebotsQueue[0].variables, target.variables)
    expect(rebased).toEqual(compactState(state(entry('v-target', viaFullLists)), () => target).typebotsQueue[0].variables)
    expect(rebased).toEqual([
      { id: 'a', name: 'Name', value: 'Ada' },
      // Session values (here the old default) win over new defaults; renamed variables keep their old name (§8.2).
      { id: 'c', name: 'City', value: 'Paris' },
      { id: 'r', name: 'Before rename' },
      { id: 'x', name: 'Was session-only', value: 'sx' },
      // Dropped by the new version: kept, with or without a value.
      { id: 'd', name: 'Dropped' },
      { id: 'e', name: 'Dropped with value', value: 'kept' },
      { id: 'y', name: 'Session-only', value: 'only' },
    ])
    const expanded = expandState(compactOf(rebased), () => target).typebotsQueue[0].variables
    expect(expanded.find((variable) => variable.id === 'm')).toEqual({ id: 'm', name: 'Mood', value: 'happy' })
  })

  it('is idempotent: updating again to the same version changes nothing', () => {
    const once = rebaseVariables(stored, previous, target)
    expect(rebaseVariables(once, target, target)).toEqual(once)
  })

  it('keeps the stored variables, in the new canonical order, when the previous version is unavailable', () => {
    expect(rebaseVariables(stored, undefined, target).map((variable) => variable.id)).toEqual(['a', 'x', 'e', 'y'])
  })

  it('computes the difference of two versions once, then only looks at the stored variables', () => {
    const counted = (snapshot: TypebotSnapshot) => {
      const copy = { ...snapshot }
      let reads = 0
      Object.defineProperty(copy, 'variables', {
        get: () => {
          reads++
          return snapshot.variables
        },
      })
      return { snapshot: copy, reads: () => reads }
    }
    const from = counted(previous)
    const to = counted(target)
    const first = rebaseVariables(stored, from.snapshot, to.snapshot)
    const readsAfterFirst = from.reads() + to.reads()
    expect(readsAfterFirst).toBeGreaterThan(0)
    expect(rebaseVariables(stored, from.snapshot, to.snapshot)).toEqual(first)
    expect(rebaseVariables(first, to.snapshot, to.snapshot)).toEqual(first)
    expect(from.reads() + to.reads()).toBe(readsAfterFirst)
  })
})

function compactOf(variables: Variable[]): CompactSessionState {
  return { ...state(entry('v', variables)), version: 'botflow-2' }
}
