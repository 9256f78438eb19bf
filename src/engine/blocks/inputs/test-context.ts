/**
 * A fixed `BlockContext` for the bubble and input handler tests: constant clock, no sandbox
 * (inline code falls back to text), one queue entry holding `variables`.
 */
import type { BlockContext } from '../../block-handler.js'
import { runEffectful } from '../../test-driver.js'
import type { Effectful, EngineEnv, TextBubbleContentFormat, TypebotSnapshot, Variable } from '../../types.js'

export const fixedNow = Date.UTC(2024, 5, 15, 12, 0, 0)

export function createTestEnv(): EngineEnv {
  let counter = 0
  return {
    now: () => fixedNow,
    random: () => 0.5,
    newId: () => `id${++counter}`,
  }
}

/** The value of a handler call; inline code fails as without a sandbox, so its text is kept. */
export function run<T>(effectful: Effectful<T>): T {
  return runEffectful(effectful, undefined, { runCode: () => ({ ok: false, error: 'no sandbox in unit tests' }) }).value
}

export function createTestContext(
  options: {
    variables?: Variable[]
    version?: string
    settings?: Record<string, unknown>
    textBubbleContentFormat?: TextBubbleContentFormat
  } = {},
): BlockContext {
  const variables = options.variables ?? []
  const typebot: TypebotSnapshot = {
    id: 'typebot1',
    version: options.version ?? '6.1',
    groups: [],
    events: [],
    edges: [],
    variables,
    settings: options.settings ?? {},
    theme: {},
  }
  return {
    state: {
      version: 'botflow-1',
      workspaceId: 'workspace1',
      isPreview: true,
      typebotsQueue: [{ typebotId: typebot.id, versionId: 'version1', variables, answers: [] }],
    },
    typebot,
    variables,
    env: createTestEnv(),
    textBubbleContentFormat: options.textBubbleContentFormat ?? 'richText',
    groupId: 'group1',
  }
}
