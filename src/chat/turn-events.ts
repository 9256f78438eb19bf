/**
 * Webhook events of a chat turn, derived from what the turn wrote. Live sessions only: preview
 * sessions have no result, and operators follow real conversations.
 */

import { viewTypebot } from '../engine/typebot-view.js'
import type { InputMessage, StoredSessionState, Turn, TypebotSnapshot } from '../engine/types.js'
import { recordOf } from '../json-record.js'
import type { WebhookEventType } from '../schemas/webhooks-api.js'
import type { WebhookEventRecord } from '../storage/store.js'
import { createWebhookEvent } from '../webhooks/webhook-events.js'
import type { ChatContext } from './chat-context.js'

/** The session a turn belongs to: its own typebot is the root of the link queue. */
export type SessionRef = { sessionId: string; state: Pick<StoredSessionState, 'workspaceId' | 'isPreview' | 'typebotsQueue'> }

export function sessionEvent(
  context: ChatContext,
  session: SessionRef,
  type: WebhookEventType,
  data: Record<string, unknown> = {},
): WebhookEventRecord[] {
  if (session.state.isPreview) return []
  const root = session.state.typebotsQueue.at(-1)
  return [
    createWebhookEvent(
      {
        type,
        workspaceId: session.state.workspaceId,
        typebotId: root?.typebotId ?? null,
        data: { sessionId: session.sessionId, resultId: root?.resultId ?? null, ...data },
      },
      { now: context.env.now, newId: context.newId },
    ),
  ]
}

/** `answer.received` for every answer the turn stored, then `session.completed` when it ended the conversation. */
export function turnEvents(
  context: ChatContext,
  session: SessionRef,
  turn: Turn,
  typebots: ReadonlyMap<string, TypebotSnapshot>,
  options: { isStart: boolean },
): WebhookEventRecord[] {
  if (session.state.isPreview) return []
  const events: WebhookEventRecord[] = options.isStart ? sessionEvent(context, session, 'session.started') : []
  for (const answer of turn.records.answers) {
    events.push(...sessionEvent(context, session, 'answer.received', describeAnswer(answer, typebots)))
  }
  // A start that only registers the session walks nothing: it is not a finished conversation.
  if (turn.isCompleted && (turn.hasWalked || !options.isStart)) events.push(...sessionEvent(context, session, 'session.completed'))
  return events
}

/** `message.received`: what a user wrote while an operator had the conversation. */
export function messageReceivedEvent(context: ChatContext, session: SessionRef, message: InputMessage): WebhookEventRecord[] {
  return sessionEvent(context, session, 'message.received', { message })
}

function describeAnswer(answer: Turn['records']['answers'][number], typebots: ReadonlyMap<string, TypebotSnapshot>) {
  for (const snapshot of typebots.values()) {
    const location = viewTypebot(snapshot).findBlock(answer.blockId)
    if (!location) continue
    const group = viewTypebot(snapshot).findGroup(location.groupId)
    const variableId = recordOf('options' in location.block ? location.block.options : undefined).variableId
    const variable = snapshot.variables.find((candidate) => candidate.id === variableId)
    return {
      block: {
        id: answer.blockId,
        type: location.block.type,
        groupId: location.groupId,
        groupTitle: group?.title ?? null,
        typebotId: snapshot.id,
      },
      variable: variable ? { id: variable.id, name: variable.name } : null,
      value: answer.content,
      ...(answer.attachedFileUrls?.length ? { attachedFileUrls: answer.attachedFileUrls } : {}),
    }
  }
  return { block: { id: answer.blockId }, variable: null, value: answer.content }
}
