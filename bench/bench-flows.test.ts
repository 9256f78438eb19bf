import { describe, expect, it } from 'vitest'
import { parseTypebot } from '../src/schemas/typebot.js'
import { type BenchTypebot, buildLargeFlow, buildLoopFlow } from './bench-flows.js'

describe.each([
  { name: 'loop flow', flow: buildLoopFlow(), groupCount: 3, minBytes: 1_000, maxBytes: 5_000 },
  { name: 'large flow', flow: buildLargeFlow(), groupCount: 400, minBytes: 230_000, maxBytes: 270_000 },
])('the $name', ({ flow, groupCount, minBytes, maxBytes }) => {
  it(`has ${groupCount} groups and weighs what the issue asks`, () => {
    expect(flow.groups).toHaveLength(groupCount)
    const bytes = JSON.stringify(flow).length
    expect(bytes).toBeGreaterThanOrEqual(minBytes)
    expect(bytes).toBeLessThanOrEqual(maxBytes)
  })

  it('is a valid typebot that botflow runs entirely', () => {
    const parsed = parseTypebot(flow)
    expect(parsed.success && parsed.warnings).toEqual([])
  })

  it('has every edge lead to an existing group from an existing block', () => {
    expect(findBrokenEdges(flow)).toEqual([])
  })

  it('waits on the Ask input after the start, then loops back to it', () => {
    const startEdge = flow.edges.find((edge) => edge.from.eventId === 'start')
    expect(startEdge?.to.groupId).toBe('welcome')
    const echo = flow.groups.find((group) => group.id === 'echo')
    const echoExit = flow.edges.find((edge) => edge.id === echo?.blocks.at(-1)?.outgoingEdgeId)
    expect(echoExit?.to.groupId).toBe('ask')
  })
})

it('changes only the welcome text in a republished version', () => {
  const [first, second] = [buildLoopFlow(), buildLoopFlow('Welcome back.')]
  expect(JSON.stringify(second.groups[0])).not.toBe(JSON.stringify(first.groups[0]))
  expect(second.groups.slice(1)).toEqual(first.groups.slice(1))
})

function findBrokenEdges(flow: BenchTypebot): string[] {
  const groupIds = new Set(flow.groups.map((group) => group.id))
  const blockIds = new Set(flow.groups.flatMap((group) => group.blocks.map((block) => block.id)))
  return flow.edges
    .filter((edge) => !groupIds.has(edge.to.groupId) || (edge.from.blockId !== undefined && !blockIds.has(edge.from.blockId)))
    .map((edge) => edge.id)
}
