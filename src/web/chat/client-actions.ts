import { injectStartProps, sendGoogleAnalyticsEvent, sendPixelEvent } from './page-integrations.js'
import { toSafeWebUrl, withDefaultScheme } from './safe-url.js'
import type { StreamedAnswer } from './stream-reply.js'
import type { ClientSideAction, OutgoingMessage } from './wire-types.js'

/**
 * A blocking action ends with a reply to continueChat (`message` undefined: no message). A quiet
 * reply is a poll: no typing indicator while it is sent.
 */
export type ActionOutcome = { kind: 'done' } | { kind: 'reply'; message?: OutgoingMessage; isQuiet?: boolean }

export type ActionEnvironment = {
  baseUrl: string
  /** Sent to the session's client logs so the flow's author can see what failed. */
  reportError(description: string, details: string): void
  /** The browser blocked a new tab: offer a button the user can click instead. */
  offerNewTab(url: string): void
  /** How long to wait before asking again whether a webhook the flow waits for was called. */
  nextWebhookPollDelayMs(): number
  /** Streams the AI answer the session waits on into a bubble; resolves once it is complete. */
  streamAnswer(): Promise<StreamedAnswer>
}

type ActionHandler = (action: ClientSideAction, environment: ActionEnvironment) => Promise<ActionOutcome>

const done: ActionOutcome = { kind: 'done' }
/** A flow's client script that never settles must not freeze the chat. */
const scriptTimeoutMs = 10_000
const maxWaitSeconds = 600

/** Client-side action type (docs/runtime.md §4.4) -> what the page does; other types are ignored. */
const actionHandlers: Record<string, ActionHandler> = {
  async redirect(action, environment) {
    const { url, isNewTab } = asRecord(action.redirect)
    const target = typeof url === 'string' ? toSafeWebUrl(withDefaultScheme(url), environment.baseUrl) : undefined
    if (!target) return done
    if (isNewTab === true) {
      const opened = window.open(target, '_blank')
      if (opened) opened.opener = null
      else environment.offerNewTab(target)
    } else {
      window.location.assign(target)
    }
    return done
  },

  async wait(action) {
    const seconds = Number(asRecord(action.wait).secondsToWaitFor)
    if (Number.isFinite(seconds) && seconds > 0) await sleep(Math.min(seconds, maxWaitSeconds) * 1000)
    return action.expectsDedicatedReply ? { kind: 'reply' } : done
  },

  async scriptToExecute(action, environment) {
    const script = asRecord(action.scriptToExecute)
    await runFlowScript(String(script.content ?? ''), toArgs(script.args), environment)
    return done
  },

  async codeToExecute(action, environment) {
    const code = asRecord(action.codeToExecute)
    const args = Object.entries(asRecord(code.args)).map(([id, value]) => ({ id, value }))
    await runFlowScript(String(code.content ?? ''), args, environment)
    return done
  },

  async setVariable(action, environment) {
    const script = asRecord(asRecord(action.setVariable).scriptToExecute)
    const content = String(script.content ?? '')
    // An expression (`location.href`) or a function body with its own `return`.
    const body = /\breturn\b/.test(content) ? content : `return (${content}\n)`
    const value = await runFlowScript(body, toArgs(script.args), environment)
    return { kind: 'reply', message: { type: 'text', text: stringifyResult(value) } }
  },

  async chatwoot(action, environment) {
    const script = asRecord(asRecord(action.chatwoot).scriptToExecute)
    await runFlowScript(String(script.content ?? ''), toArgs(script.args), environment)
    return done
  },

  async startPropsToInject(action) {
    injectStartProps(asRecord(action.startPropsToInject))
    return done
  },

  async googleAnalytics(action, environment) {
    const problem = sendGoogleAnalyticsEvent(asRecord(action.googleAnalytics))
    if (problem) environment.reportError(problem, 'Google Analytics event not sent')
    return done
  },

  async pixel(action, environment) {
    const problem = sendPixelEvent(asRecord(action.pixel))
    if (problem) environment.reportError(problem, 'Pixel event not sent')
    return done
  },

  /** botflow keeps the webhook's payload on the session: the page asks for it until it came. */
  async listenForWebhook(_action, environment) {
    await sleep(environment.nextWebhookPollDelayMs())
    return { kind: 'reply', isQuiet: true }
  },

  /**
   * An AI answer streamed into the next bubble (§7.5.2); its text goes back as the reply. One that
   * failed before any text sends no message, so the flow goes on without it.
   */
  async stream(_action, environment) {
    const answer = await environment.streamAnswer()
    return { kind: 'reply', ...(answer.text ? { message: { type: 'text', text: answer.text } } : {}) }
  },

  async httpRequestToExecute(action) {
    const request = asRecord(action.httpRequestToExecute)
    const method = typeof request.method === 'string' ? request.method : 'POST'
    const headers = Object.fromEntries(
      Object.entries(asRecord(request.headers)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    )
    const hasBody = request.body !== undefined && request.body !== null && method !== 'GET' && method !== 'HEAD'
    let reply: { statusCode: number; data: unknown }
    try {
      const response = await fetch(String(request.url ?? ''), {
        method,
        headers,
        body: hasBody ? (typeof request.body === 'string' ? request.body : JSON.stringify(request.body)) : undefined,
      })
      const text = await response.text()
      reply = { statusCode: response.status, data: parseJsonOr(text) }
    } catch (error) {
      reply = { statusCode: 500, data: error instanceof Error ? error.message : 'Request failed' }
    }
    return { kind: 'reply', message: { type: 'text', text: JSON.stringify(reply) } }
  },
}

/**
 * Runs one action the server returned. Scripts run only because the flow asks for them (that is
 * what a Code block is); failures are reported, never thrown, and the chat goes on.
 */
export async function runClientSideAction(action: ClientSideAction, environment: ActionEnvironment): Promise<ActionOutcome> {
  const handler = actionHandlers[action.type]
  if (!handler) return action.expectsDedicatedReply ? { kind: 'reply' } : done
  try {
    return await handler(action, environment)
  } catch (error) {
    environment.reportError(`Client-side action "${action.type}" failed`, error instanceof Error ? error.message : String(error))
    return action.expectsDedicatedReply ? { kind: 'reply' } : done
  }
}

type ScriptArg = { id: string; value: unknown }

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
  ...source: string[]
) => (...values: unknown[]) => Promise<unknown>

async function runFlowScript(body: string, args: ScriptArg[], environment: ActionEnvironment): Promise<unknown> {
  const usable = args.filter((arg) => /^[A-Za-z_$][\w$]*$/.test(arg.id))
  try {
    const run = new AsyncFunction(...usable.map((arg) => arg.id), body)
    return await withTimeout(run(...usable.map((arg) => arg.value)), scriptTimeoutMs)
  } catch (error) {
    environment.reportError('Script failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error))
    return undefined
  }
}

function toArgs(value: unknown): ScriptArg[] {
  if (!Array.isArray(value)) return []
  return value.flatMap((arg) => (arg && typeof arg === 'object' && typeof arg.id === 'string' ? [{ id: arg.id, value: arg.value }] : []))
}

/** What the server stores for a client Set variable: strings as they are, anything else as JSON. */
export function stringifyResult(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, sleep(ms).then(() => undefined)])
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}
