/**
 * `botflow serve` in its own process, stopped with a real SIGTERM while a client is stuck in the
 * middle of sending a body: the shutdown deadline cuts that connection and the process exits.
 */
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createTestDatabase } from '../helpers/start-server.js'

const cliEntry = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))

describe('botflow serve and SIGTERM', () => {
  it('exits within SHUTDOWN_TIMEOUT_MS although a client is still sending its body', async () => {
    const database = await createTestDatabase()
    const child = spawn(process.execPath, ['--import', 'tsx', cliEntry, 'serve'], {
      env: {
        ...process.env,
        // DATABASE_URL, and on PostgreSQL the ENCRYPTION_SECRET it requires.
        ...database.env,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        // The readable banner is printed whatever the level: it says where the server listens.
        LOG_FORMAT: 'pretty',
        BOTFLOW_DEMO: 'false',
        SHUTDOWN_TIMEOUT_MS: '500',
        // Far longer than the test: only the shutdown deadline can end that request.
        REQUEST_TIMEOUT_MS: '600000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = ''
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /is ready on (http:\/\/\S+)/.exec(output)
          if (match?.[1]) resolve(match[1])
        })
        void exited.then((code) => reject(new Error(`serve exited with ${code} before listening`)))
      })
      const socket = connect(Number(new URL(url).port), '127.0.0.1')
      socket.on('error', () => undefined)
      const cut = new Promise<void>((resolve) => socket.on('close', () => resolve()))
      socket.write(
        'POST /api/v1/sessions/any/continueChat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      )
      // Let the server read the headers, so the request is in flight when the signal comes.
      await sleep(200)

      child.kill('SIGTERM')
      const outcome = await Promise.race([exited, sleep(10_000, 'still running')])
      expect(outcome).toBe(0)
      await cut
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      await exited
      await database.drop()
    }
  })
})
