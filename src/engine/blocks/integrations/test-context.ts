/**
 * Fixtures for the integration handler tests: a fixed `BlockContext` (constant clock, counter
 * ids, the sandbox passed in) and a driver that answers the effects a handler yields.
 */
import type { BlockContext } from '../../block-handler.js'
import { runEffectful } from '../../test-driver.js'
import type { Answer, Effectful, EffectRequest, EffectResult, TypebotSnapshot, Variable } from '../../types.js'

export const fixedNow = Date.UTC(2024, 5, 15, 12, 0, 0)

export type TestContextOptions = {
  variables?: Variable[]
  answers?: Answer[]
  isPreview?: boolean
  /** Variable ids whose writes are recorded in the set-variable history. */
  historyVariableIds?: string[]
}

export function createTestContext(options: TestContextOptions = {}): BlockContext {
  const variables = options.variables ?? []
  const typebot: TypebotSnapshot = { id: 'typebot1', version: '6.1', groups: [], events: [], edges: [], variables, settings: {}, theme: {} }
  let idCounter = 0
  return {
    state: {
      version: 'botflow-1',
      workspaceId: 'workspace1',
      isPreview: options.isPreview ?? false,
      typebotsQueue: [{ typebotId: typebot.id, versionId: 'version1', resultId: 'result1', variables, answers: options.answers ?? [] }],
      ...(options.historyVariableIds ? { setVariableIdsForHistory: options.historyVariableIds } : {}),
    },
    typebot,
    variables,
    env: {
      now: () => fixedNow,
      random: () => 0.5,
      newId: () => `id${++idCounter}`,
    },
    textBubbleContentFormat: 'richText',
    groupId: 'group1',
  }
}

/**
 * Runs a handler to completion, answering each effect with `respond`. Code (response mappings)
 * runs as trusted test code and checkpoints are answered; neither is listed in `requests`.
 */
export function driveEffects<T>(
  effectful: Effectful<T>,
  respond: (request: EffectRequest) => EffectResult,
): { value: T; requests: EffectRequest[] } {
  return runEffectful(effectful, respond)
}

export function noEffectExpected(request: EffectRequest): never {
  throw new Error(`unexpected effect ${request.type}`)
}
