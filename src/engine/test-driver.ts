/**
 * Test support for engine conversations: fixture typebots, a deterministic `EngineEnv`, and a
 * tiny in-memory shell that performs effects and keeps what the real shell would persist.
 * Used by `*.test.ts` files only.
 */
import { readFileSync } from 'node:fs'
import { toSnapshot } from '../schemas/to-snapshot.js'
import { parseTypebot } from '../schemas/typebot.js'
import type { AiOutcome } from './ai-call.js'
import type { BlockContext } from './block-handler.js'
import { continueSession, type StartParams, startSession } from './index.js'
import type {
  ChatMessage,
  CodeResult,
  Effectful,
  EffectRequest,
  EffectResult,
  EngineEnv,
  HttpResponseResult,
  InputMessage,
  LoadedTypebot,
  RichTextNode,
  SessionState,
  Turn,
  TurnRecords,
  TypebotSnapshot,
  Variable,
} from './types.js'

const fixturesDir = new URL('../../test/fixtures/reference/typebots/', import.meta.url)

export const fixedNow = Date.UTC(2024, 5, 15, 12, 0, 0)

/** A typebot fixture as the engine runs it; `versionId` is `version-<typebot id>`. */
export function loadFixture(relativePath: string, overrides: Partial<TypebotSnapshot> = {}): LoadedTypebot {
  return loadTypebotDocument(JSON.parse(readFileSync(new URL(relativePath, fixturesDir), 'utf8')), overrides)
}

export function loadTypebotDocument(document: unknown, overrides: Partial<TypebotSnapshot> = {}): LoadedTypebot {
  const parsed = parseTypebot(document)
  if (!parsed.success) throw new Error(`fixture does not parse: ${JSON.stringify(parsed.issues)}`)
  const snapshot: TypebotSnapshot = { ...toSnapshot(parsed.typebot), ...overrides }
  return { versionId: `version-${snapshot.id}`, typebot: snapshot }
}

/** Constant clock, seeded random, counter ids. */
export function createTestEnv(options: { random?: number[] } = {}): EngineEnv {
  let counter = 0
  const draws = [...(options.random ?? [])]
  return {
    now: () => fixedNow,
    random: () => draws.shift() ?? 0.5,
    newId: () => `id${++counter}`,
  }
}

/** Code of a `runCode` effect as a plain function: test code is trusted (the real sandbox is in effects/). */
export function evaluateTestCode(code: string, globals: Record<string, unknown>): CodeResult {
  try {
    const run = new Function(...Object.keys(globals), code) as (...args: unknown[]) => unknown
    return { ok: true, value: run(...Object.values(globals)) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * The answer to the effects any engine computation may yield besides integrations: code (run by
 * `runCode`) and checkpoints. undefined for the others.
 */
export function answerEngineEffect(
  request: EffectRequest,
  runCode: (code: string, globals: Record<string, unknown>) => CodeResult = evaluateTestCode,
): EffectResult | undefined {
  if (request.type === 'checkpoint') return { type: 'checkpoint' }
  if (request.type === 'runCode') return { type: 'runCode', result: runCode(request.code, request.globals) }
  return undefined
}

export type ConversationOptions = {
  /** Typebots a Typebot link may load, by id; `aliases` maps other ids used by links. */
  typebots?: LoadedTypebot[]
  aliases?: Record<string, string>
  isPreview?: boolean
  resultId?: string
  httpRequest?: (request: Extract<EffectRequest, { type: 'httpRequest' }>['request']) => HttpResponseResult
  env?: EngineEnv
  /** The workspace's credentials (the shell's resolution rule applies); none by default. */
  credentials?: { id: string; name: string; type: string }[]
  /** Answers AI calls; an error outcome by default. */
  ai?: (request: Extract<EffectRequest, { type: 'ai' }>) => AiOutcome
}

/**
 * One conversation with a fixture bot. `start` and `reply` return the engine's `Turn`; the driver
 * keeps the state and the persisted rows between calls, like `src/chat` does.
 */
export function createConversation(main: LoadedTypebot, options: ConversationOptions = {}) {
  const env = options.env ?? createTestEnv()
  const library = new Map<string, LoadedTypebot>([[main.typebot.id, main]])
  for (const loaded of options.typebots ?? []) library.set(loaded.typebot.id, loaded)
  for (const [alias, id] of Object.entries(options.aliases ?? {})) {
    const loaded = library.get(id)
    if (loaded) library.set(alias, loaded)
  }
  const versions = new Map<string, TypebotSnapshot>([...library.values()].map((loaded) => [loaded.versionId, loaded.typebot]))
  const persisted: TurnRecords = { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] }
  const requests: EffectRequest[] = []
  let state: SessionState | undefined

  const perform = (request: EffectRequest): EffectResult => {
    const answered = answerEngineEffect(request)
    if (answered) return answered
    requests.push(request)
    switch (request.type) {
      case 'loadTypebot':
        return { type: 'loadTypebot', loaded: library.get(request.typebotId) }
      case 'loadHistory':
        return {
          type: 'loadHistory',
          answers: persisted.answers.filter((answer) => answer.resultId === request.resultId),
          visitedEdges: persisted.visitedEdges
            .filter((edge) => edge.resultId === request.resultId)
            .sort((a, b) => a.index - b.index)
            .map((edge) => edge.edgeId),
          setVariableHistory: persisted.setVariableHistory
            .filter((item) => item.resultId === request.resultId)
            .sort((a, b) => a.index - b.index),
        }
      case 'runServerScript':
        return runServerScript(request)
      case 'httpRequest':
        return { type: 'httpRequest', response: options.httpRequest?.(request.request) ?? { statusCode: 200, data: {} } }
      case 'sendEmail':
        return { type: 'sendEmail', ok: true }
      case 'createPaymentIntent':
        return { type: 'createPaymentIntent', ok: false, error: 'No payments in engine tests' }
      case 'retrievePaymentIntent':
        return { type: 'retrievePaymentIntent', ok: false, error: 'No payments in engine tests' }
      case 'findCredentials':
        return findCredentials(options.credentials ?? [], request)
      case 'ai':
        return {
          type: 'ai',
          outcome: options.ai?.(request) ?? { ok: false, log: { status: 'error', description: 'No AI in this test' }, variablesToSet: [] },
        }
      case 'findWebhookBlockUrl':
        return { type: 'findWebhookBlockUrl' }
      default:
        throw new Error(`unexpected effect ${request.type}`)
    }
  }

  const drive = (computation: Effectful<Turn>): Turn => {
    let step = computation.next()
    while (!step.done) step = computation.next(perform(step.value))
    const turn = step.value
    state = turn.state
    persisted.answers.push(...turn.records.answers)
    persisted.visitedEdges.push(...turn.records.visitedEdges)
    persisted.setVariableHistory.push(...turn.records.setVariableHistory)
    persisted.results.push(...turn.records.results)
    persisted.logs.push(...turn.records.logs)
    return turn
  }

  return {
    requests,
    persisted,
    get state(): SessionState {
      if (!state) throw new Error('the conversation has not started')
      return state
    },
    start(params: Partial<StartParams> = {}): Turn {
      const isPreview = options.isPreview ?? false
      return drive(
        startSession(
          {
            loaded: main,
            workspaceId: 'workspace1',
            isPreview,
            ...(isPreview ? {} : { resultId: options.resultId ?? 'result1' }),
            textBubbleContentFormat: 'richText',
            ...params,
          },
          env,
        ),
      )
    },
    reply(message?: InputMessage | string, format: 'richText' | 'markdown' = 'richText'): Turn {
      const input: InputMessage | undefined = typeof message === 'string' ? { type: 'text', text: message } : message
      if (!state) throw new Error('the conversation has not started')
      return drive(continueSession(state, input, { typebots: versions, textBubbleContentFormat: format }, env))
    },
    /** Replaces the state, e.g. to simulate a typebot update. */
    setState(next: SessionState) {
      state = next
    },
  }

  function runServerScript(request: Extract<EffectRequest, { type: 'runServerScript' }>): EffectResult {
    const variablesToSet: { name: string; value: unknown }[] = []
    const setVariable = (name: string, value: unknown) => variablesToSet.push({ name, value })
    try {
      const names = request.variables.map((variable) => variable.id)
      const values = request.variables.map((variable) => variable.value)
      new Function('setVariable', ...names, request.content)(setVariable, ...values)
      return { type: 'runServerScript', ok: true, variablesToSet }
    } catch (error) {
      return { type: 'runServerScript', ok: false, variablesToSet, error: error instanceof Error ? error.message : String(error) }
    }
  }
}

/** A context for one handler call: a single queue entry holding `variables` (live unless told). */
export function createBlockContext(
  options: { variables?: Variable[]; typebot?: Partial<TypebotSnapshot>; state?: Partial<SessionState>; env?: EngineEnv } = {},
): BlockContext {
  const variables = options.variables ?? []
  const typebot: TypebotSnapshot = {
    id: 'typebot1',
    version: '6.1',
    groups: [],
    events: [],
    edges: [],
    variables,
    settings: {},
    theme: {},
    ...options.typebot,
  }
  const state: SessionState = {
    version: 'botflow-1',
    workspaceId: 'workspace1',
    isPreview: false,
    typebotsQueue: [{ typebotId: typebot.id, versionId: 'version1', resultId: 'result1', variables, answers: [] }],
    ...options.state,
  }
  return {
    state,
    typebot,
    variables: state.typebotsQueue[0].variables,
    env: options.env ?? createTestEnv(),
    textBubbleContentFormat: 'richText',
    groupId: typebot.groups[0]?.id ?? 'group1',
  }
}

/**
 * Runs an effectful computation, answering each effect with `respond`; returns value and requests.
 * Code and checkpoints are answered here (trusted test code) and not listed in `requests`.
 */
export function runEffectful<T>(
  computation: Effectful<T>,
  respond: (request: EffectRequest) => EffectResult = unexpectedEffect,
  options: { runCode?: (code: string, globals: Record<string, unknown>) => CodeResult } = {},
) {
  const requests: EffectRequest[] = []
  let step = computation.next()
  while (!step.done) {
    const answered = answerEngineEffect(step.value, options.runCode)
    if (!answered) requests.push(step.value)
    step = computation.next(answered ?? respond(step.value))
  }
  return { value: step.value, requests }
}

/** The value of an effectful computation that should need nothing but code and checkpoints. */
export function runPure<T>(computation: Effectful<T>): T {
  return runEffectful(computation).value
}

function unexpectedEffect(request: EffectRequest): EffectResult {
  throw new Error(`unexpected effect ${request.type}`)
}

/** The visible text of a message: rich text leaves joined, or the Markdown. */
export function textOf(message: ChatMessage | undefined): string {
  if (message?.type !== 'text') return ''
  if (message.content.type === 'markdown') return message.content.markdown
  return message.content.richText.map(textOfNode).join('\n')
}

export function textsOf(turn: Turn): string[] {
  return turn.messages.map(textOf)
}

function textOfNode(node: RichTextNode): string {
  if (typeof node.text === 'string') return node.text
  return (node.children ?? []).map(textOfNode).join('')
}

/** The shell's rule (credentials/resolve-credentials.ts): the named ones of that type, else the only ones of that type. */
function findCredentials(
  credentials: { id: string; name: string; type: string }[],
  request: Extract<EffectRequest, { type: 'findCredentials' }>,
): EffectResult {
  const ofType = credentials.filter((candidate) => candidate.type === request.credentialsType)
  const found = ofType.find((candidate) => candidate.id === request.credentialsId) ?? (ofType.length === 1 ? ofType[0] : undefined)
  return found
    ? { type: 'findCredentials', credentials: { id: found.id, name: found.name } }
    : { type: 'findCredentials', reason: `This workspace has ${ofType.length} ${request.credentialsType} credentials` }
}
