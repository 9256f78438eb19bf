import { describe, expect, it } from 'vitest'
import { loadFixture } from './test-driver.js'
import { findStartEdgeId, outgoingEdgeIdsOf, viewTypebot } from './typebot-view.js'
import type { Block, TypebotSnapshot } from './types.js'

describe('viewTypebot', () => {
  const { typebot } = loadFixture('commandEvent.json')
  const marker: Block = { id: 'virtual-event-block', type: 'start' }

  it('finds groups, blocks and edges of the snapshot', () => {
    const view = viewTypebot(typebot)
    expect(view.findGroup('egxcw5phb1idevjgn151hoi4')?.title).toBe('Group #7')
    expect(view.findGroupByTitle('Bye')?.id).toBe('vF7AD7zSAj7SNvN3gr9N94')
    expect(view.findBlock('prfhynhapg8g94riwazu5uj7')).toMatchObject({ groupId: 'egxcw5phb1idevjgn151hoi4', index: 1 })
    expect(view.findEdge('oNvqaqNExdSH2kKEhKZHuE')?.to).toEqual({ groupId: 'kinRXxYop2X4d7F9qt8WNB' })
    expect(view.findBlock('nope')).toBeUndefined()
  })

  it('adds the entry virtual blocks and edges without touching the snapshot', () => {
    const view = viewTypebot(typebot, {
      virtualBlocks: [{ groupId: 'egxcw5phb1idevjgn151hoi4', index: 0, block: marker }],
      virtualEdges: [{ id: 'virtual-bopq6dlh8hi98lz4ccnn25df', from: { blockId: '' }, to: { groupId: 'bopq6dlh8hi98lz4ccnn25df' } }],
    })
    expect(view.findGroup('egxcw5phb1idevjgn151hoi4')?.blocks.map((block) => block.id)).toEqual([
      'virtual-event-block',
      'lzd3cj7meitzpezgt80uoi51',
      'prfhynhapg8g94riwazu5uj7',
    ])
    expect(view.findBlock('virtual-event-block')).toMatchObject({ index: 0 })
    expect(view.findBlock('prfhynhapg8g94riwazu5uj7')).toMatchObject({ index: 2 })
    expect(view.findEdge('virtual-bopq6dlh8hi98lz4ccnn25df')?.to.groupId).toBe('bopq6dlh8hi98lz4ccnn25df')
    expect(typebot.groups.find((group) => group.id === 'egxcw5phb1idevjgn151hoi4')?.blocks).toHaveLength(2)
  })

  it('takes the start edge from the start event, or from the v5 start block', () => {
    expect(findStartEdgeId(typebot)).toBe('oNvqaqNExdSH2kKEhKZHuE')
    const v5: TypebotSnapshot = {
      ...typebot,
      version: '5',
      events: null,
      groups: [{ id: 'start-group', title: 'Start', blocks: [{ id: 'start', type: 'start', outgoingEdgeId: 'first' }] }],
    }
    expect(findStartEdgeId(v5)).toBe('first')
  })

  it('lists every edge a block can leave by', () => {
    const block = typebot.groups[0]!.blocks[2]!
    expect(outgoingEdgeIdsOf(block)).toEqual(['vokha1klf8gg5vhptqrdud58'])
    const cards = { id: 'c', type: 'cards', outgoingEdgeId: 'own', items: [{ id: 'i', paths: [{ id: 'p', outgoingEdgeId: 'path' }] }] }
    expect(outgoingEdgeIdsOf(cards as Block)).toEqual(['own', 'path'])
  })
})
