/** Typebots that link to each other, imported together (`typebots: [...]`): their links follow the new ids. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addCollaborator } from '../../src/typebots/add-collaborator.js'
import { createApiClient } from '../helpers/api-client.js'
import { expectBuilderApiShape } from '../helpers/builder-api-validator.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { readFixture } from '../helpers/chat-fixtures.js'
import { buildTypebot } from '../helpers/flow-builder.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

let server: TestServer
let owner: TestUser
beforeAll(async () => {
  server = await startTestServer()
  owner = await createTestUser(server)
})
afterAll(async () => server.close())

const linkedExports = () => ['linkTypebots/1.json', 'linkTypebots/2.json', 'linkTypebots/3.json'].map((path) => readFixture(path))

describe('importing typebots that link to each other', () => {
  it('points every Typebot link at the new ids, so the chain runs without editing JSON', async () => {
    const exports = linkedExports()
    const imported = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebots: exports } })
    expect(imported.status, JSON.stringify(imported.body)).toBe(200)
    // A list import is botflow's addition; each item is what a single import answers.
    for (const item of imported.body.typebots) expectBuilderApiShape({ ...imported, body: { typebot: item.typebot } })
    const typebots: { typebot: any; sourceId: string }[] = imported.body.typebots
    expect(typebots.map((item) => item.sourceId)).toEqual(exports.map((document) => document.id))
    const [first, second, third] = typebots.map((item) => item.typebot.id as string)
    const linksOf = (document: any) =>
      document.groups
        .flatMap((group: any) => group.blocks)
        .filter((block: any) => block.type === 'Typebot link')
        .map((block: any) => block.options.typebotId)
    expect(linksOf(typebots[0]?.typebot)).toEqual(['current', second])
    expect(linksOf(typebots[1]?.typebot)).toEqual([third])

    for (const [id, publicId] of [
      [first, 'linked-1'],
      [second, 'linked-2'],
      [third, 'linked-3'],
    ] as const) {
      const patched = await owner.call('PATCH', `/v1/typebots/${id}`, { body: { typebot: { publicId } } })
      expect(patched.status).toBe(200)
      expectBuilderApiShape(patched)
      expect((await owner.call('POST', `/v1/typebots/${id}/publish`, { body: {} })).status).toBe(200)
    }
    const { reply } = await startConversation(createChatClient(createApiClient(server.url)), 'linked-1')
    await reply('Start')
    await reply('http://localhost:3000/link')
    expect(textsOf(await reply('Hello there!'))).toEqual(['Cheers!', 'test 3', 'end 3', 'End'])
  })

  it('lists the typebots a draft links to, leaving out those the caller may not read', async () => {
    const imported = await owner.call('POST', '/v1/typebots/import', {
      body: { workspaceId: owner.workspaceId, typebots: linkedExports() },
    })
    const [first, second, third] = imported.body.typebots.map((item: { typebot: { id: string } }) => item.typebot.id) as string[]
    const linked = await owner.call('GET', `/v1/typebots/${first}/linkedTypebots`)
    expect(linked.status).toBe(200)
    expectBuilderApiShape(linked)
    // "current" (the typebot itself) is no stored typebot: only the second export is listed.
    expect(linked.body.typebots).toEqual([
      expect.objectContaining({ id: second, name: imported.body.typebots[1].typebot.name, version: '6.1', groups: expect.any(Array) }),
    ])
    expect(
      (await owner.call('GET', `/v1/typebots/${second}/linkedTypebots`)).body.typebots.map((typebot: { id: string }) => typebot.id),
    ).toEqual([third])

    // Links set not to merge results are left out, as Typebot does.
    const linking = buildTypebot({
      name: 'Linking',
      variables: [],
      groups: [
        {
          id: 'g',
          title: 'Links',
          blocks: [
            { id: 'l1', type: 'Typebot link', options: { typebotId: second, mergeResults: false } },
            { id: 'l2', type: 'Typebot link', options: { typebotId: third } },
          ],
        },
      ],
    })
    const linkingId = (await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebot: linking } })).body
      .typebot.id
    expect(
      (await owner.call('GET', `/v1/typebots/${linkingId}/linkedTypebots`)).body.typebots.map((typebot: { id: string }) => typebot.id),
    ).toEqual([third])

    // A collaborator of the second typebot only: its link to the third one is not shown to them.
    const collaborator = await createTestUser(server)
    await addCollaborator(server.store, { typebotId: second!, email: collaborator.email, type: 'READ' })
    const seen = await collaborator.call('GET', `/v1/typebots/${second}/linkedTypebots`)
    expect([seen.status, seen.body]).toEqual([200, { typebots: [] }])
    const hidden = await collaborator.call('GET', `/v1/typebots/${first}/linkedTypebots`)
    expect(hidden.status).toBe(404)
    expectBuilderApiShape(hidden)
  })

  it('keeps a link to a typebot outside the list, with a warning, and stores nothing when one is invalid', async () => {
    const [, second] = linkedExports()
    const alone = await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId, typebots: [second] } })
    expect(alone.status).toBe(200)
    expect(alone.body.typebots[0].warnings).toEqual([expect.stringContaining('cmb59sp8b00017f8m3ni5vsqm')])

    const before = (await owner.call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`)).body.typebots.length
    const invalid = await owner.call('POST', '/v1/typebots/import', {
      body: { workspaceId: owner.workspaceId, typebots: [second, { version: '6', groups: 'nope' }] },
    })
    expect(invalid.status).toBe(400)
    expectBuilderApiShape(invalid)
    expect(invalid.body.issues[0].path.slice(0, 2)).toEqual(['typebots', 1])
    expect((await owner.call('GET', `/v1/typebots?workspaceId=${owner.workspaceId}`)).body.typebots.length).toBe(before)
    const both = await owner.call('POST', '/v1/typebots/import', {
      body: { workspaceId: owner.workspaceId, typebot: second, typebots: [second] },
    })
    expect(both.status).toBe(400)
    expect((await owner.call('POST', '/v1/typebots/import', { body: { workspaceId: owner.workspaceId } })).status).toBe(400)
  })
})
