import { describe, expect, it } from 'vitest'
import { addVirtualEdge, applyVariableUpdates, resultVariablesOf } from './state.js'
import type { SessionState } from './types.js'

const state: SessionState = {
  version: 'botflow-1',
  workspaceId: 'w',
  isPreview: true,
  typebotsQueue: [
    {
      typebotId: 't',
      versionId: 'v',
      variables: [
        { id: 'a', name: 'A', value: '1' },
        { id: 'b', name: 'B' },
        { id: 'c', name: 'C', value: 'x', isSessionVariable: true },
      ],
      answers: [],
    },
  ],
  setVariableIdsForHistory: ['a', 'b'],
  currentSetVariableHistoryIndex: 5,
}

describe('applyVariableUpdates', () => {
  it('writes by id in place (declared order kept), and records history for tracked ones', () => {
    const { state: next, history } = applyVariableUpdates(
      state,
      [
        { id: 'a', value: '2' },
        { id: 'c', value: 'y' },
        { id: 'zz', value: 'ignored' },
      ],
      'block',
    )
    expect(next.typebotsQueue[0].variables.map((variable) => [variable.id, variable.value])).toEqual([
      ['a', '2'],
      ['b', undefined],
      ['c', 'y'],
    ])
    expect(history).toEqual([{ blockId: 'block', variableId: 'a', value: '2', blockIndex: 5, index: 5 }])
    expect(next.currentSetVariableHistoryIndex).toBe(6)
    expect(next.previewMetadata?.setVariableHistory).toEqual([{ blockId: 'block', variableId: 'a', value: '2', blockIndex: 5 }])
    expect(state.typebotsQueue[0].variables[0]!.value).toBe('1')
  })

  it('stores empty text as null and records nothing without a block', () => {
    const { state: next, history } = applyVariableUpdates(state, [{ id: 'a', value: '' }])
    expect(next.typebotsQueue[0].variables[0]).toEqual({ id: 'a', name: 'A', value: null })
    expect(history).toEqual([])
    expect(next.currentSetVariableHistoryIndex).toBe(5)
  })

  it('keeps live history out of the state', () => {
    const live = { ...state, isPreview: false }
    const { state: next, history } = applyVariableUpdates(live, [{ id: 'b', value: ['x', null] }], 'block')
    expect(history).toHaveLength(1)
    expect(next.previewMetadata).toBeUndefined()
  })
})

describe('addVirtualEdge', () => {
  it('adds, reuses and retargets edges by id', () => {
    const first = addVirtualEdge(state, { groupId: 'g', blockId: 'b' })
    expect(first.edgeId).toBe('virtual-g-b')
    const same = addVirtualEdge(first.state, { groupId: 'g', blockId: 'b' })
    expect(same.state).toBe(first.state)
    const group = addVirtualEdge(same.state, { groupId: 'g' })
    expect(group.state.typebotsQueue[0].virtualEdges?.map((edge) => edge.id)).toEqual(['virtual-g-b', 'virtual-g'])
  })
})

it('keeps only valued, non-session variables for results', () => {
  expect(resultVariablesOf(state.typebotsQueue[0].variables)).toEqual([{ id: 'a', name: 'A', value: '1' }])
})
