import type { TypebotLinkBlock } from '../../../schemas/blocks/logic.js'
import type { BlockContext, ExecutableHandler, ExecutionResult } from '../../block-handler.js'
import { addVirtualEdge } from '../../state.js'
import { findStartEdgeId, isV6, viewTypebot } from '../../typebot-view.js'
import type { EffectResult, LoadedTypebot, QueueEntry, SessionState, TypebotSnapshot, Variable } from '../../types.js'
import { findVariableByName } from '../../variables.js'

/**
 * §4.10: pushes a typebot on the queue and jumps into it. When that typebot runs out, the walk
 * pops it and resumes in the parent on the resume edge queued here.
 */
export const typebotLinkHandler: ExecutableHandler<TypebotLinkBlock> = {
  family: 'logic',
  *execute(block, ctx) {
    const typebotId = block.options?.typebotId
    if (!typebotId) return failure('Typebot ID is not specified')

    const isCurrentTypebot = typebotId === 'current' || typebotId === ctx.typebot.id
    let linked: LoadedTypebot
    if (isCurrentTypebot) {
      linked = { versionId: ctx.state.typebotsQueue[0].versionId, typebot: ctx.typebot }
    } else {
      const result: EffectResult = yield {
        type: 'loadTypebot',
        typebotId,
        isPreview: ctx.state.isPreview,
        workspaceId: ctx.state.workspaceId,
        userId: ctx.state.previewUserId,
      }
      if (result.type !== 'loadTypebot' || !result.loaded) return failure(`Typebot with ID ${typebotId} not found`)
      linked = result.loaded
    }

    const targetGroupId = targetGroupIdOf(block, linked.typebot, ctx.variables)
    // Unlike Typebot we push nothing when the group is unknown: the flow just goes on here.
    if (!targetGroupId || !linked.typebot.groups.some((group) => group.id === targetGroupId)) {
      return failure(`Group with ID "${targetGroupId ?? block.options?.groupId ?? ''}" not found`)
    }

    const { state: parentState, resumeEdgeId } = withResumeEdge(block, ctx)
    const entry = isCurrentTypebot
      ? sameTypebotEntry(parentState.typebotsQueue[0], resumeEdgeId)
      : linkedEntry(linked, block, ctx, parentState, resumeEdgeId)
    const pushed: SessionState = { ...parentState, typebotsQueue: [entry, ...parentState.typebotsQueue] }
    const { state, edgeId } = addVirtualEdge(pushed, { groupId: targetGroupId })
    return { outgoingEdgeId: edgeId, isOffDefaultPath: true, state, loadedTypebots: isCurrentTypebot ? [] : [linked] }
  },
}

function failure(details: string): ExecutionResult {
  return { logs: [{ status: 'error', description: 'Failed to link typebot', details }] }
}

/** Where the parent resumes: the link's own edge, else a virtual edge to the next block. */
function withResumeEdge(block: TypebotLinkBlock, ctx: BlockContext): { state: SessionState; resumeEdgeId?: string } {
  if (block.outgoingEdgeId) return { state: ctx.state, resumeEdgeId: block.outgoingEdgeId }
  const view = viewTypebot(ctx.typebot, ctx.state.typebotsQueue[0])
  const location = view.findBlock(block.id)
  const next = location && view.findGroup(location.groupId)?.blocks[location.index + 1]
  if (!location || !next) return { state: ctx.state }
  const { state, edgeId } = addVirtualEdge(ctx.state, { groupId: location.groupId, blockId: next.id })
  return { state, resumeEdgeId: edgeId }
}

function sameTypebotEntry(parent: QueueEntry, resumeEdgeId: string | undefined): QueueEntry {
  return {
    ...parent,
    isMergingWithParent: true,
    queuedEdgeIds: resumeEdgeId ? [resumeEdgeId] : [],
  }
}

function linkedEntry(
  linked: LoadedTypebot,
  block: TypebotLinkBlock,
  ctx: BlockContext,
  state: SessionState,
  resumeEdgeId: string | undefined,
): QueueEntry {
  const parent = state.typebotsQueue[0]
  // Pre-v6 typebots merged unless told otherwise; v6 ones keep a separate result by default.
  const isMerging = isV6(ctx.typebot) ? block.options?.mergeResults === true : block.options?.mergeResults !== false
  const resultId = state.isPreview ? undefined : isMerging ? parent.resultId : ctx.env.newId()
  return {
    typebotId: linked.typebot.id,
    versionId: linked.versionId,
    ...(resultId ? { resultId } : {}),
    variables: inheritedVariables(linked.typebot.variables, state.typebotsQueue),
    answers: isMerging ? [...parent.answers] : [],
    isMergingWithParent: isMerging,
    queuedEdgeIds: resumeEdgeId ? [resumeEdgeId] : [],
  }
}

/**
 * §4.10.1: each variable takes the value of the first same-named variable up the queue (the
 * nearest entry declaring the name decides, even when empty); the linked bot's own initial values
 * are dropped, as in Typebot.
 */
function inheritedVariables(declared: Variable[], queue: QueueEntry[]): Variable[] {
  return declared.map((variable) => {
    const { value: _initialValue, ...withoutValue } = variable
    for (const entry of queue) {
      const source = entry.variables.find((candidate) => candidate.name === variable.name)
      if (!source) continue
      return source.value === undefined ? withoutValue : { ...withoutValue, value: source.value }
    }
    return withoutValue
  })
}

function targetGroupIdOf(block: TypebotLinkBlock, linked: TypebotSnapshot, variables: Variable[]): string | undefined {
  const groupId = block.options?.groupId
  if (groupId) {
    const titleReference = /^\{\{(.+)\}\}$/.exec(groupId)
    if (!titleReference) return groupId
    const title = findVariableByName(variables, titleReference[1]!)?.value
    return typeof title === 'string' ? linked.groups.find((group) => group.title === title)?.id : undefined
  }
  if (!isV6(linked)) return linked.groups[0]?.id
  const startEdgeId = findStartEdgeId(linked)
  return startEdgeId ? linked.edges.find((edge) => edge.id === startEdgeId)?.to.groupId : undefined
}
