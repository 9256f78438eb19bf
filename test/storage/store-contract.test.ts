import { beforeAll, describe, expect, it } from 'vitest'
import type { TurnRecords } from '../../src/engine/types.js'
import { AppError } from '../../src/errors.js'
import { newId } from '../../src/ids.js'
import { compactState, noTurnRecords as noRecords } from '../helpers/stored-turns.js'
import { useTestStore } from '../helpers/test-store.js'

/** The Store contract, run on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (CI). */
const store = useTestStore()
let workspaceId: string
let typebotId: string
beforeAll(async () => {
  const user = await store.createUser({ id: newId(), email: 'Owner@Example.com', name: null })
  workspaceId = (await store.createWorkspace({ id: newId(), name: 'Contract' }, { userId: user.id })).id
  typebotId = newId()
  await store.createTypebot({
    id: typebotId,
    workspaceId,
    publicId: 'contract',
    name: 'Contract',
    draft: { version: '6.1' },
    isArchived: false,
    isClosed: false,
  })
})

const state = (marker: string) => compactState({ currentBlockId: marker })

describe(`Store contract (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, () => {
  it('finds users by e-mail whatever its case, and tokens by their hash only', async () => {
    const user = await store.findUserByEmail('owner@example.com')
    expect(user?.email).toBe('owner@example.com')
    await store.createApiToken({ id: newId(), userId: user!.id, name: 'cli', tokenHash: 'hash-1' })
    const found = await store.findApiTokenByHash('hash-1')
    expect(found?.token.userId).toBe(user!.id)
    expect(found?.user).toEqual(user)
    expect(await store.findApiTokenByHash('hash-2')).toBeUndefined()
  })

  it('refuses a public id that another typebot has, and changes nothing', async () => {
    const other = newId()
    await store.createTypebot({ id: other, workspaceId, publicId: null, name: 'Other', draft: {}, isArchived: false, isClosed: false })
    await expect(store.updateTypebot(other, { publicId: 'contract', name: 'Renamed' })).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(store.updateTypebot(other, { publicId: 'contract' })).rejects.toBeInstanceOf(AppError)
    expect((await store.findTypebot(other))?.name).toBe('Other')
  })

  it('keeps published versions immutable and stores a draft snapshot once per content', async () => {
    const first = await store.publishTypebot(typebotId, { id: newId(), content: { version: '6.1', groups: [] } })
    const second = await store.publishTypebot(typebotId, { id: newId(), content: { version: '6.1', groups: [{ id: 'g' }] } })
    expect((await store.findTypebotHeader(typebotId))?.publishedVersionId).toBe(second.id)
    expect((await store.findVersion(first.id))?.content).toEqual({ version: '6.1', groups: [] })
    const draftA = await store.findOrCreateDraftVersion(typebotId, { id: newId(), contentHash: 'h1', content: { a: 1 } })
    const draftB = await store.findOrCreateDraftVersion(typebotId, { id: newId(), contentHash: 'h1', content: { a: 1 } })
    expect(draftB.id).toBe(draftA.id)
  })

  it('writes a turn only when the row version still matches, with its records or not at all', async () => {
    const sessionId = newId()
    const resultId = newId()
    expect(await store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state: state('a') } }, noRecords())).toBe(true)
    const created = await store.findSession(sessionId)
    const answer = (content: string): TurnRecords => ({
      ...noRecords(),
      answers: [{ resultId, blockId: 'b', content }],
      results: [{ id: resultId, typebotId, variables: [], hasStarted: true, isCompleted: false }],
    })
    expect(
      await store.commitTurn({ kind: 'update', sessionId, expectedRowVersion: created!.rowVersion, state: state('b') }, answer('first')),
    ).toBe(true)
    expect(
      await store.commitTurn({ kind: 'update', sessionId, expectedRowVersion: created!.rowVersion, state: state('c') }, answer('stale')),
    ).toBe(false)
    expect((await store.findSession(sessionId))?.state.currentBlockId).toBe('b')
    expect((await store.listAnswers(resultId)).map((row) => row.content)).toEqual(['first'])
    expect(await store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state: state('x') } }, noRecords())).toBe(false)
  })

  it('lets exactly one of many racing writers of the same version win', async () => {
    const sessionId = newId()
    const resultId = newId()
    await store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state: state('start') } }, noRecords())
    const { rowVersion } = (await store.findSession(sessionId))!
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store.commitTurn(
          { kind: 'update', sessionId, expectedRowVersion: rowVersion, state: state(`w${index}`) },
          { ...noRecords(), answers: [{ resultId, blockId: 'b', content: `w${index}` }] },
        ),
      ),
    )
    expect(outcomes.filter(Boolean)).toHaveLength(1)
    const winner = outcomes.indexOf(true)
    expect((await store.listAnswers(resultId)).map((row) => row.content)).toEqual([`w${winner}`])
    expect((await store.findSession(sessionId))?.state.currentBlockId).toBe(`w${winner}`)
  })

  it('writes the concurrent turns of many sessions each on its own: a stale one is refused alone, two upserting one result both land', async () => {
    const sessions = Array.from({ length: 8 }, () => ({ id: newId(), resultId: newId() }))
    for (const session of sessions) {
      await store.commitTurn({ kind: 'create', session: { id: session.id, typebotId, state: state('start') } }, noRecords())
    }
    const rowVersion = (await store.findSession(sessions[0]!.id))!.rowVersion
    const sharedResultId = newId()
    const outcomes = await Promise.all(
      sessions.map((session, index) =>
        store.commitTurn(
          {
            kind: 'update',
            sessionId: session.id,
            expectedRowVersion: index === 3 ? rowVersion + 5 : rowVersion,
            state: state(`n${index}`),
          },
          {
            ...noRecords(),
            answers: [{ resultId: session.resultId, blockId: 'b', content: `n${index}` }],
            results: [
              { id: index < 2 ? sharedResultId : session.resultId, typebotId, variables: [], hasStarted: true, isCompleted: false },
            ],
          },
        ),
      ),
    )
    expect(outcomes).toEqual(sessions.map((_, index) => index !== 3))
    for (const [index, session] of sessions.entries()) {
      expect((await store.listAnswers(session.resultId)).map((row) => row.content)).toEqual(index === 3 ? [] : [`n${index}`])
      expect((await store.findSession(session.id))?.state.currentBlockId).toBe(index === 3 ? 'start' : `n${index}`)
    }
    expect((await store.findResult(sharedResultId))?.hasStarted).toBe(true)
  })

  it('creates concurrent new sessions each on its own: a taken id is refused alone, two starting one result both land', async () => {
    const takenId = newId()
    await store.commitTurn({ kind: 'create', session: { id: takenId, typebotId, state: state('first') } }, noRecords())
    const sessions = Array.from({ length: 8 }, (_, index) => ({ id: index === 5 ? takenId : newId(), resultId: newId() }))
    const sharedResultId = newId()
    const outcomes = await Promise.all(
      sessions.map((session, index) =>
        store.commitTurn(
          { kind: 'create', session: { id: session.id, typebotId, state: state(`c${index}`) } },
          {
            ...noRecords(),
            answers: [{ resultId: session.resultId, blockId: 'b', content: `c${index}` }],
            results: [
              { id: index < 2 ? sharedResultId : session.resultId, typebotId, variables: [], hasStarted: true, isCompleted: false },
            ],
          },
        ),
      ),
    )
    expect(outcomes).toEqual(sessions.map((_, index) => index !== 5))
    for (const [index, session] of sessions.entries()) {
      expect((await store.listAnswers(session.resultId)).map((row) => row.content)).toEqual(index === 5 ? [] : [`c${index}`])
    }
    expect((await store.findSession(takenId))?.state.currentBlockId).toBe('first')
    expect((await store.findSession(sessions[0]!.id))?.state.currentBlockId).toBe('c0')
    expect((await store.findResult(sharedResultId))?.hasStarted).toBe(true)
  })

  it('leases many sessions at once, each with its own answer', async () => {
    const ids = [newId(), newId(), newId()]
    for (const id of ids) await store.commitTurn({ kind: 'create', session: { id, typebotId, state: state(id) } }, noRecords())
    expect(await store.leaseSession(ids[1]!, 'someone-else', 60_000)).toMatchObject({ id: ids[1] })
    const missing = newId()
    const found = await Promise.all([...ids, missing].map((id) => store.leaseSession(id, 'me', 60_000)))
    expect(found.map((item) => (typeof item === 'object' ? item.state.currentBlockId : item))).toEqual([ids[0], 'busy', ids[2], undefined])
    for (const id of ids) await store.releaseSessionLease(id, id === ids[1] ? 'someone-else' : 'me')
  })

  it('never resets a completed result, cuts long log details, deletes a session on request', async () => {
    const sessionId = newId()
    const resultId = newId()
    await store.commitTurn({ kind: 'create', session: { id: sessionId, typebotId, state: state('a') } }, noRecords())
    const result = (isCompleted: boolean) => ({ id: resultId, typebotId, variables: [], hasStarted: true, isCompleted })
    const { rowVersion } = (await store.findSession(sessionId))!
    await store.commitTurn(
      { kind: 'delete', sessionId, expectedRowVersion: rowVersion },
      { ...noRecords(), results: [result(true)], logs: [{ resultId, description: 'long', details: 'x'.repeat(1500) }] },
    )
    expect(await store.findSession(sessionId)).toBeUndefined()
    await store.commitTurn(
      { kind: 'create', session: { id: newId(), typebotId, state: state('a') } },
      { ...noRecords(), results: [result(false)] },
    )
    expect((await store.findResult(resultId))?.isCompleted).toBe(true)
    const [log] = await store.listLogs(resultId)
    expect(log?.status).toBe('error')
    expect(log?.details).toHaveLength(1003)
  })

  it('pages the session ids of a typebot', async () => {
    const pagedTypebot = newId()
    const ids = Array.from({ length: 5 }, () => newId())
    for (const id of ids)
      await store.commitTurn({ kind: 'create', session: { id, typebotId: pagedTypebot, state: state('a') } }, noRecords())
    const first = await store.listSessionIdsOfTypebot(pagedTypebot, { limit: 3 })
    const rest = await store.listSessionIdsOfTypebot(pagedTypebot, { limit: 3, afterId: first.at(-1) })
    expect([...first, ...rest]).toEqual([...ids].sort())
  })
})
