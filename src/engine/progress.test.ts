import { describe, expect, it } from 'vitest'
import { computeProgress } from './progress.js'
import { createConversation, loadFixture, loadTypebotDocument } from './test-driver.js'

describe('progress (§4.13)', () => {
  const main = loadFixture('chat/main.json')

  it('counts the inputs still reachable from the current one, and 100 at the end', () => {
    const chat = createConversation(main, { isPreview: true })
    // Five inputs lie ahead in the main bot (name, age, email, URL, buttons); none answered yet.
    expect(chat.start({ isProgressBarEnabled: true }).progress).toBeCloseTo((1 / 6) * 100)
    // One answer, four inputs left: 2 / (4 + 1 + 1).
    expect(chat.reply('John').progress).toBeCloseTo((2 / 6) * 100)
    expect(chat.reply('24').progress).toBeGreaterThan(0)
  })

  it('is absent when tracking is off, and 100 when the conversation ends', () => {
    const chat = createConversation(loadFixture('condition.json'), { isPreview: true })
    expect(chat.start().progress).toBeUndefined()
    const tracked = createConversation(loadFixture('condition.json'), { isPreview: true })
    tracked.start({ isProgressBarEnabled: true })
    expect(tracked.reply('40').progress).toBe(100)
  })

  it('is 0 when every path loops, and does not fail when the current block vanished', () => {
    const looping = loadTypebotDocument({
      version: '6.1',
      id: 'loop',
      name: 'loop',
      events: [{ id: 'start', type: 'start', outgoingEdgeId: 'e0', graphCoordinates: { x: 0, y: 0 } }],
      groups: [
        { id: 'g1', title: 'g', graphCoordinates: { x: 0, y: 0 }, blocks: [{ id: 'in', type: 'text input', outgoingEdgeId: 'e1' }] },
      ],
      edges: [
        { id: 'e0', from: { eventId: 'start' }, to: { groupId: 'g1' } },
        { id: 'e1', from: { blockId: 'in' }, to: { groupId: 'g1' } },
      ],
      variables: [],
      theme: {},
      settings: {},
    })
    const chat = createConversation(looping, { isPreview: true })
    expect(chat.start({ isProgressBarEnabled: true }).progress).toBe(0)
    const typebots = new Map([[looping.versionId, looping.typebot]])
    expect(computeProgress({ ...chat.state, currentBlockId: 'gone', progressMetadata: { totalAnswers: 1 } }, typebots)).toBeCloseTo(
      (2 / 3) * 100,
    )
  })
})
