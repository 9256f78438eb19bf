import { rebaseVariables } from './compact-variables.js'
import { mapQueue } from './state.js'
import type { Block, CompactSessionState, Group, LoadedTypebot, QueueEntry, TypebotSnapshot } from './types.js'

export type TypebotUpdate = {
  /** The session's root typebot: the one the session was started with. */
  typebotId: string
  target: LoadedTypebot
  /** The version the root entry ran before: what its stored variables are relative to, and where a deleted waiting block used to be. */
  previous: TypebotSnapshot | undefined
}

/**
 * Points the session's root typebot at a new version. The conversation keeps its answers, its
 * variable values (new variables arrive with their defaults) and its position; linked typebots
 * above the root run on unchanged until they return. A position the new version no longer has is
 * recorded as a `relocation` that the next reply resolves, so the session never breaks.
 * Works on the stored (compact) state: its cost follows the session's own variables and the
 * difference between the two versions, not the size of the typebot.
 */
export function updateTypebotInSession(state: CompactSessionState, update: TypebotUpdate): CompactSessionState {
  const rootIndex = state.typebotsQueue.length - 1
  const root = state.typebotsQueue[rootIndex]
  if (!root || root.typebotId !== update.typebotId) return state
  const target = update.target.typebot
  const groupIds = indexGroups(target)
  const updatedRoot: QueueEntry = {
    ...root,
    versionId: update.target.versionId,
    variables: rebaseVariables(root.variables, update.previous, target),
    virtualEdges: root.virtualEdges?.filter((edge) => groupIds.has(edge.to.groupId)),
    virtualBlocks: root.virtualBlocks?.filter((virtual) => groupIds.has(virtual.groupId)),
  }
  const typebotsQueue = mapQueue(state.typebotsQueue, (entry, index) => (index === rootIndex ? updatedRoot : entry))
  const next: CompactSessionState = { ...state, typebotsQueue }
  const blocks = indexBlocks(target)
  if (next.returnMark && !blocks.has(next.returnMark.blockId) && !isVirtualBlock(updatedRoot, next.returnMark.blockId)) {
    delete next.returnMark
  }
  // Only a root that is executing (top of the queue) has its position in the new version.
  if (rootIndex !== 0 || !state.currentBlockId) return next
  if (blocks.has(state.currentBlockId) || isVirtualBlock(updatedRoot, state.currentBlockId)) {
    delete next.relocation
    return next
  }
  const formerGroupId = state.relocation?.groupId ?? findGroupOfBlock(update.previous, root, state.currentBlockId)
  const group = formerGroupId ? groupIds.get(formerGroupId) : undefined
  next.relocation = group
    ? {
        groupId: group.id,
        reason: `The block this conversation waited on was removed by a typebot update; resuming at the start of group "${group.title}".`,
      }
    : {
        reason:
          'The block this conversation waited on and its group were removed by a typebot update; restarting from the start of the typebot, answers kept.',
      }
  return next
}

function isVirtualBlock(entry: QueueEntry, blockId: string): boolean {
  return entry.virtualBlocks?.some((virtual) => virtual.block.id === blockId) ?? false
}

function findGroupOfBlock(previous: TypebotSnapshot | undefined, entry: QueueEntry, blockId: string): string | undefined {
  const virtual = entry.virtualBlocks?.find((candidate) => candidate.block.id === blockId)
  if (virtual) return virtual.groupId
  return previous ? indexBlocks(previous).get(blockId)?.id : undefined
}

const groupIndexes = new WeakMap<TypebotSnapshot, Map<string, Group>>()
const blockIndexes = new WeakMap<TypebotSnapshot, Map<string, Group>>()

function indexGroups(typebot: TypebotSnapshot): Map<string, Group> {
  let index = groupIndexes.get(typebot)
  if (!index) {
    index = new Map(typebot.groups.map((group) => [group.id, group]))
    groupIndexes.set(typebot, index)
  }
  return index
}

/** block id -> the group that holds it; built once per immutable snapshot. */
function indexBlocks(typebot: TypebotSnapshot): Map<string, Group> {
  let index = blockIndexes.get(typebot)
  if (!index) {
    index = new Map()
    for (const group of typebot.groups) for (const block of group.blocks as Block[]) index.set(block.id, group)
    blockIndexes.set(typebot, index)
  }
  return index
}
