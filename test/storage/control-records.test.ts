/**
 * The control part of a turn's write and the webhook outbox, on SQLite and (CI) PostgreSQL:
 * written only with a session write that matched, fanned out to matching subscriptions only,
 * each due delivery claimed by one claimer.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/ids.js'
import type { TurnRecordsWithControl, WebhookEventRecord } from '../../src/storage/store.js'
import { compactState, noTurnRecords } from '../helpers/stored-turns.js'
import { useTestStore } from '../helpers/test-store.js'

const store = useTestStore()
let workspaceId: string
let typebotId: string
beforeAll(async () => {
  const user = await store.createUser({ id: newId(), email: 'control@example.com', name: null })
  workspaceId = (await store.createWorkspace({ id: newId(), name: 'Control' }, { userId: user.id })).id
  typebotId = newId()
  await store.createTypebot({ id: typebotId, workspaceId, publicId: null, name: 'T', draft: {}, isArchived: false, isClosed: false })
})

const now = new Date().toISOString()
const state = () => compactState({ workspaceId, typebotId, resultId: 'r' })

function event(type: string, forTypebot: string | null = typebotId): WebhookEventRecord {
  const id = newId()
  return { id, type, workspaceId, typebotId: forTypebot, payload: JSON.stringify({ id, type }), createdAt: now }
}

function records(control: TurnRecordsWithControl['control']): TurnRecordsWithControl {
  return { ...noTurnRecords(), control }
}

async function subscribe(events: string[], typebotIds: string[] | null, isEnabled = true) {
  const id = newId()
  await store.webhooks.createSubscription({
    id,
    workspaceId,
    url: 'https://example.com/hook',
    events,
    typebotIds,
    description: null,
    isEnabled,
    createdAt: now,
    updatedAt: now,
    secretSealed: 'sealed',
  })
  return id
}

async function deliveriesOf(subscriptionId: string) {
  return store.webhooks.listDeliveries(subscriptionId, { limit: 100 })
}

describe(`control records and the webhook outbox (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('fans an event out to the enabled subscriptions that want its type and typebot, and writes nothing for a refused turn', async () => {
    const all = await subscribe(['session.started', 'answer.received'], null)
    const onlyThis = await subscribe(['session.started'], [typebotId])
    const onlyOther = await subscribe(['session.started'], ['someone-else'])
    const disabled = await subscribe(['session.started'], null, false)
    const sessionId = newId()
    const started = event('session.started')
    expect(
      await store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state: state() } }, records({ events: [started] })),
    ).toBe(true)
    expect((await deliveriesOf(all)).map((delivery) => delivery.eventId)).toEqual([started.id])
    expect((await deliveriesOf(onlyThis)).map((delivery) => delivery.eventId)).toEqual([started.id])
    expect(await deliveriesOf(onlyOther)).toEqual([])
    expect(await deliveriesOf(disabled)).toEqual([])

    // A writer that lost the race (stale row version) leaves no event, pause or message.
    const refused = await store.commitTurn(
      { kind: 'update', sessionId, expectedRowVersion: 99, state: state() },
      records({ events: [event('answer.received')], pause: { kind: 'pause', sessionId, typebotId, reason: null, pausedAt: now } }),
    )
    expect(refused).toBe(false)
    expect(await deliveriesOf(all)).toHaveLength(1)
    expect(await store.control.listSessions(typebotId, { status: 'paused', limit: 10 })).toEqual([])

    const paused = await store.commitTurn(
      { kind: 'update', sessionId, expectedRowVersion: 1, state: state() },
      records({ pause: { kind: 'pause', sessionId, typebotId, reason: 'human', pausedAt: now } }),
    )
    expect(paused).toBe(true)
    expect((await store.control.listSessions(typebotId, { status: 'paused', limit: 10 })).map((session) => session.pause)).toEqual([
      { reason: 'human', pausedAt: now },
    ])
    // Ending the session ends its pause.
    expect(await store.commitTurn({ kind: 'delete', sessionId, expectedRowVersion: 2 }, records({}))).toBe(true)
    expect(await store.control.listSessions(typebotId, { limit: 10 })).toEqual([])
    for (const id of [all, onlyThis, onlyOther, disabled]) await store.webhooks.deleteSubscription(id)
  })

  it('gives each due delivery to one claimer, and takes a delivery back once its lease has run out', async () => {
    const subscriptionId = await subscribe(['typebot.published'], null)
    await store.webhooks.insertEvents(Array.from({ length: 10 }, () => event('typebot.published')))
    const claim = (owner: string, at = now) =>
      store.webhooks.claimDueDeliveries({ now: at, limit: 4, owner, leaseUntil: new Date(Date.parse(at) + 60_000).toISOString() })
    const claims = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => claim(owner)))
    const seqs = claims.flat().map((delivery) => delivery.seq)
    expect(seqs).toHaveLength(10)
    expect(new Set(seqs).size).toBe(10)
    expect(await claim('e')).toEqual([])

    const [first] = claims.flat()
    if (!first) throw new Error('nothing claimed')
    const attemptedAt = new Date().toISOString()
    await store.webhooks.completeDelivery(first.seq, 'not-the-owner', {
      status: 'delivered',
      attempt: { attemptedAt, statusCode: 200, error: null, durationMs: 5 },
    })
    const later = new Date(Date.parse(now) + 120_000).toISOString()
    const retaken = await claim('f', later)
    expect(retaken.map((delivery) => delivery.attempts)).toEqual([2, 2, 2, 2])
    await store.webhooks.deleteSubscription(subscriptionId)
  })

  it('lets the sweeper delete finished deliveries past the retention, a batch at a time, and keeps pending ones', async () => {
    const subscriptionId = await subscribe(['typebot.published'], null)
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString()
    const oldEvent = () => ({ ...event('typebot.published'), createdAt: old })
    await store.webhooks.insertEvents([oldEvent(), oldEvent(), oldEvent(), oldEvent(), event('typebot.published')])
    const claimed = await store.webhooks.claimDueDeliveries({ now, limit: 10, owner: 'sweeper-test', leaseUntil: later(60_000) })
    const mine = claimed.filter((delivery) => delivery.subscription.id === subscriptionId).sort((a, b) => a.seq - b.seq)
    expect(mine).toHaveLength(5)
    const attempt = { attemptedAt: now, statusCode: 500, error: null, durationMs: 5 }
    const outcomes = [
      { status: 'delivered', attempt: { ...attempt, statusCode: 200 } },
      { status: 'failed', attempt },
      { status: 'pending', nextAttemptAt: later(3_600_000), attempt },
      { status: 'pending', nextAttemptAt: later(3_600_000), attempt },
      { status: 'delivered', attempt: { ...attempt, statusCode: 200 } },
    ] as const
    // In the order of the events: the four old deliveries, then the new one.
    for (const [index, delivery] of mine.entries())
      await store.webhooks.completeDelivery(delivery.seq, 'sweeper-test', outcomes[index] ?? outcomes[0])

    const cutoff = new Date(Date.now() - 30 * 86_400_000).toISOString()
    expect(await store.sweep.deleteFinishedDeliveriesBefore(cutoff, 1)).toBe(1)
    expect(await store.sweep.deleteFinishedDeliveriesBefore(cutoff, 100)).toBe(1)
    expect(await store.sweep.deleteFinishedDeliveriesBefore(cutoff, 100)).toBe(0)
    const left = await deliveriesOf(subscriptionId)
    expect(left.map((delivery) => delivery.status).sort()).toEqual(['delivered', 'pending', 'pending'])
    expect(left.find((delivery) => delivery.status === 'delivered')?.createdAt).toBe(now)
    await store.webhooks.deleteSubscription(subscriptionId)
  })
})

const later = (ms: number) => new Date(Date.parse(now) + ms).toISOString()
