/**
 * Hostile messages: continueChat answers of 1, 5 and 9 MB, made of what made Markdown parsers
 * stall (emphasis runs, unclosed links, nested lists), into a flow that shows the answer in a
 * bubble. A second client polls `/api/healthz` meanwhile: its slowest answer is the stall every
 * other user of the server would have felt.
 */
import { type BenchOwner, createBenchApi } from './bench-api.js'
import type { BenchDatabase } from './bench-database.js'
import { buildLoopFlow } from './bench-flows.js'
import { type BenchContext, describeError, startBotflow } from './bench-phases.js'
import type { HostileRow } from './bench-results.js'

const sizesMb = [1, 5, 9] as const
const hostilePublicId = 'bench-hostile'
const pollIntervalMs = 10

export async function measureHostile(context: BenchContext, database: BenchDatabase, owner: BenchOwner): Promise<HostileRow[]> {
  const bodyLimit = String(16 * 1024 * 1024)
  const server = await startBotflow(context, database, [], { CHAT_BODY_LIMIT: bodyLimit, BODY_LIMIT: bodyLimit, RATE_LIMIT: 'off' })
  try {
    const api = createBenchApi(server.url, owner)
    // The loop flow's echo bubble shows the answer, so the answer is read as Markdown.
    await api.publishFlow(buildLoopFlow(), hostilePublicId)
    const rows: HostileRow[] = []
    for (const sizeMb of sizesMb) {
      context.log(`Hostile message of ${sizeMb} MB...`)
      const [sessionId] = await api.openSessions(hostilePublicId, 1, 1)
      const message = hostileText(sizeMb * 1024 * 1024)
      const row = await sendWhilePolling(server.url, sessionId ?? '', message, sizeMb).catch((error: unknown) => ({
        sizeMb,
        failure: describeError(error),
      }))
      rows.push(row)
    }
    return rows
  } finally {
    await server.stop()
  }
}

async function sendWhilePolling(baseUrl: string, sessionId: string, message: string, sizeMb: number): Promise<HostileRow> {
  let isSending = true
  let worstHealthzMs = 0
  const poll = (async () => {
    while (isSending) {
      const startedAt = performance.now()
      await (await fetch(`${baseUrl}/api/healthz`)).arrayBuffer()
      worstHealthzMs = Math.max(worstHealthzMs, performance.now() - startedAt)
      await new Promise((resolve) => setTimeout(resolve, pollIntervalMs))
    }
  })()
  const startedAt = performance.now()
  const response = await fetch(`${baseUrl}/api/v1/sessions/${sessionId}/continueChat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  })
  await response.arrayBuffer()
  const replyMs = performance.now() - startedAt
  isSending = false
  await poll
  return { sizeMb, status: response.status, replyMs, worstHealthzMs }
}

function hostileText(size: number): string {
  const motifs = ['_a', '*a', '[](', '![[', '**a', '`\n#', '- a\n  ']
  const part = Math.ceil(size / motifs.length)
  return motifs
    .map((motif) => motif.repeat(Math.ceil(part / motif.length)).slice(0, part))
    .join('')
    .slice(0, size)
}
