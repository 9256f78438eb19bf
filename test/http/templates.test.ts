import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiClient } from '../helpers/api-client.js'
import { createChatClient, startConversation, textsOf } from '../helpers/chat-conversation.js'
import { importAndPublish } from '../helpers/chat-fixtures.js'
import { type FakeSmtp, startFakeSmtp } from '../helpers/fake-smtp-server.js'
import { startTestServer, type TestServer } from '../helpers/start-server.js'
import { createTestUser, type TestUser } from '../helpers/users.js'

function readTemplate(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/templates/${name}.json`, import.meta.url), 'utf8'))
}

let smtp: FakeSmtp
let server: TestServer
let owner: TestUser

beforeAll(async () => {
  smtp = await startFakeSmtp()
  server = await startTestServer({
    ...smtp.env,
    SMTP_FROM: 'Community <hello@botflow.test>',
  })
  owner = await createTestUser(server)
})
afterAll(async () => {
  await server?.close()
  await smtp?.close()
})

describe("Typebot's templates", () => {
  it('lead-magnet: e-mails the bundle to the address given, then follows up on the goal', async () => {
    await importAndPublish(owner, [{ fixture: readTemplate('lead-magnet'), publicId: 'lead-magnet' }])
    const { start, reply } = await startConversation(createChatClient(createApiClient(server.url)), 'lead-magnet')
    expect(textsOf(start).at(-1)).toBe("What's your name?")
    expect(textsOf(await reply('Ada'))).toEqual(['Ok, Ada. What email would you like to sign up with?'])
    const before = smtp.received.length
    const afterEmail = await reply('ada@example.com')
    expect(textsOf(afterEmail)).toEqual(["What's your goal with the community?"])
    expect(smtp.received).toHaveLength(before + 1)
    const { envelope, mail } = smtp.received[before]!
    expect(envelope.to).toEqual(['ada@example.com'])
    expect(mail.subject).toBe('Here is your community bundle ✨')
    expect(mail.from?.value).toEqual([{ address: 'hello@botflow.test', name: 'Community' }])
    expect(mail.text).toContain('Hey Ada,')
    expect(mail.text).toContain('Here is a link to download the community bundle:')
    const goal = await reply('Support')
    expect(textsOf(goal)).toEqual([
      'Perfect, your bundle will be emailed to you right away 🚀',
      'Want to offer better support with a community?',
      'Check out this video:',
      '',
    ])
  })
})
