import { computeResultTranscript, type TranscriptMessage } from '../engine/result-transcript.js'
import { AppError } from '../errors.js'
import { isRecord } from '../json-record.js'
import type { ResultMessageRecord, UserRecord } from '../storage/store.js'
import { type ChatContext, findTypebotOfUser, loadPublishedVersion } from './chat-context.js'
import { driveEffects } from './drive-effects.js'
import { loadConversationHistory } from './load-history.js'

export type TranscriptEntry =
  | { role: 'bot' | 'user'; type: 'text'; text: string }
  | { role: 'bot' | 'user'; type: 'image'; image: string }
  | { role: 'bot' | 'user'; type: 'video'; video: string }
  | { role: 'bot' | 'user'; type: 'audio'; audio: string }

/**
 * `GET /v1/typebots/{typebotId}/results/{resultId}/transcript`, in Typebot's shape. The replay
 * runs on the version the result's session runs while it exists (Typebot always uses the latest
 * published one, which misreads conversations held on an older version), else on the published
 * one. Messages the user sent while an operator had the conversation sit before the answer that
 * followed them.
 */
export async function transcriptOfResult(context: ChatContext, user: UserRecord, typebotId: string, resultId: string) {
  const typebot = await findTypebotOfUser(context, user, typebotId, 'read')
  const result = await context.store.findResult(resultId)
  if (!result || result.typebotId !== typebot.id) throw new AppError('NOT_FOUND', 'Result not found')
  const session = result.lastChatSessionId ? await context.store.findSession(result.lastChatSessionId) : undefined
  const sessionVersionId = session?.state.typebotsQueue.at(-1)?.versionId
  const sessionSnapshot = sessionVersionId ? await context.versions.load(sessionVersionId) : undefined
  const loaded =
    sessionVersionId && sessionSnapshot
      ? { versionId: sessionVersionId, typebot: sessionSnapshot }
      : await loadPublishedVersion(context, typebot)
  if (!loaded) throw new AppError('NOT_FOUND', 'Typebot not found')

  const [history, userMessages] = await Promise.all([
    loadConversationHistory(context.store, result.id),
    context.store.control.listResultMessages(result.id),
  ])
  const replayed = await driveEffects(computeResultTranscript(loaded, history, context.env), context.perform)
  return { transcript: withMessagesWhilePaused(replayed, userMessages).map(toEntry) }
}

function withMessagesWhilePaused(replayed: TranscriptMessage[], userMessages: ResultMessageRecord[]): TranscriptMessage[] {
  if (userMessages.length === 0) return replayed
  const merged: TranscriptMessage[] = []
  const pending = userMessages.flatMap((record) => {
    const message = toTranscriptMessage(record.message)
    return message ? [{ answerCount: record.answerCount, message }] : []
  })
  for (const item of replayed) {
    const answerIndex = item.answerIndex
    if (answerIndex !== undefined) {
      while (pending[0] && pending[0].answerCount <= answerIndex) {
        const next = pending.shift()
        if (next) merged.push(next.message)
      }
    }
    merged.push(item)
  }
  return [...merged, ...pending.map((item) => item.message)]
}

function toTranscriptMessage(message: unknown): TranscriptMessage | undefined {
  if (!isRecord(message)) return undefined
  if (message.type === 'text' && typeof message.text === 'string') {
    const files = Array.isArray(message.attachedFileUrls) ? message.attachedFileUrls.filter((url) => typeof url === 'string') : []
    return { role: 'user', type: 'text', text: files.length > 0 ? `${files.join(', ')}\n\n${message.text}` : message.text }
  }
  if (message.type === 'audio' && typeof message.url === 'string') return { role: 'user', type: 'audio', text: message.url }
  return undefined
}

function toEntry(message: TranscriptMessage): TranscriptEntry {
  const { role, text } = message
  switch (message.type) {
    case 'image':
      return { role, type: 'image', image: text }
    case 'video':
      return { role, type: 'video', video: text }
    case 'audio':
      return { role, type: 'audio', audio: text }
    default:
      return { role, type: 'text', text }
  }
}
