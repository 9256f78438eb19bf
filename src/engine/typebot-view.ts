/**
 * Lookups of groups, blocks and edges as one queue entry sees them: the shared snapshot plus the
 * entry's runtime additions (virtual edges, synthetic event blocks). Snapshot indexes are built
 * once per snapshot and cached, so every lookup is O(1) apart from groups holding virtual blocks.
 */
import { isRecord } from '../json-record.js'
import type { Block, Edge, Group, QueueEntry, TypebotSnapshot } from './types.js'

export type BlockLocation = { block: Block; groupId: string; index: number }

export type TypebotView = {
  readonly snapshot: TypebotSnapshot
  findGroup(groupId: string): Group | undefined
  findGroupByTitle(title: string): Group | undefined
  findBlock(blockId: string): BlockLocation | undefined
  findEdge(edgeId: string): Edge | undefined
}

type SnapshotIndex = {
  groupsById: Map<string, Group>
  groupsByTitle: Map<string, Group>
  blocksById: Map<string, BlockLocation>
  edgesById: Map<string, Edge>
}

const snapshotIndexes = new WeakMap<TypebotSnapshot, SnapshotIndex>()
const splicedGroups = new WeakMap<NonNullable<QueueEntry['virtualBlocks']>, Map<string, Group>>()

export function viewTypebot(snapshot: TypebotSnapshot, entry?: Pick<QueueEntry, 'virtualEdges' | 'virtualBlocks'>): TypebotView {
  const index = indexOf(snapshot)
  const virtualEdges = entry?.virtualEdges ?? []
  const virtualGroups = entry?.virtualBlocks?.length ? groupsWithVirtualBlocks(index, entry.virtualBlocks) : undefined

  const findGroup = (groupId: string) => virtualGroups?.get(groupId) ?? index.groupsById.get(groupId)
  return {
    snapshot,
    findGroup,
    findGroupByTitle(title) {
      const group = index.groupsByTitle.get(title)
      return group && findGroup(group.id)
    },
    findBlock(blockId) {
      const located = index.blocksById.get(blockId)
      if (!virtualGroups) return located
      const groupId = located?.groupId ?? entry?.virtualBlocks?.find((virtual) => virtual.block.id === blockId)?.groupId
      const group = groupId === undefined ? undefined : virtualGroups.get(groupId)
      if (!group) return located
      const blockIndex = group.blocks.findIndex((block) => block.id === blockId)
      const block = group.blocks[blockIndex]
      return block ? { block, groupId: group.id, index: blockIndex } : undefined
    },
    findEdge(edgeId) {
      return virtualEdges.find((edge) => edge.id === edgeId) ?? index.edgesById.get(edgeId)
    },
  }
}

/** The edge a new session follows first: the start event (v6) or the v3-v5 start block. */
export function findStartEdgeId(snapshot: TypebotSnapshot): string | undefined {
  if (isV6(snapshot)) return snapshot.events?.[0]?.outgoingEdgeId
  return snapshot.groups[0]?.blocks[0]?.outgoingEdgeId
}

export function isV6(snapshot: Pick<TypebotSnapshot, 'version'>): boolean {
  return Number(snapshot.version) >= 6
}

/** Every edge id a block can leave by: its own, its items' and its cards' paths. */
export function outgoingEdgeIdsOf(block: Block): string[] {
  const ids: string[] = []
  if (block.outgoingEdgeId) ids.push(block.outgoingEdgeId)
  if (!('items' in block) || !Array.isArray(block.items)) return ids
  for (const item of block.items as unknown[]) {
    if (!isRecord(item)) continue
    if (typeof item.outgoingEdgeId === 'string') ids.push(item.outgoingEdgeId)
    if (!Array.isArray(item.paths)) continue
    for (const path of item.paths as unknown[]) {
      if (isRecord(path) && typeof path.outgoingEdgeId === 'string') ids.push(path.outgoingEdgeId)
    }
  }
  return ids
}

function indexOf(snapshot: TypebotSnapshot): SnapshotIndex {
  const cached = snapshotIndexes.get(snapshot)
  if (cached) return cached
  const index: SnapshotIndex = {
    groupsById: new Map(),
    groupsByTitle: new Map(),
    blocksById: new Map(),
    edgesById: new Map(),
  }
  for (const group of snapshot.groups) {
    if (!index.groupsById.has(group.id)) index.groupsById.set(group.id, group)
    if (!index.groupsByTitle.has(group.title)) index.groupsByTitle.set(group.title, group)
    group.blocks.forEach((block, blockIndex) => {
      if (!index.blocksById.has(block.id)) index.blocksById.set(block.id, { block, groupId: group.id, index: blockIndex })
    })
  }
  for (const edge of snapshot.edges) if (!index.edgesById.has(edge.id)) index.edgesById.set(edge.id, edge)
  snapshotIndexes.set(snapshot, index)
  return index
}

function groupsWithVirtualBlocks(index: SnapshotIndex, virtualBlocks: NonNullable<QueueEntry['virtualBlocks']>): Map<string, Group> {
  const cached = splicedGroups.get(virtualBlocks)
  if (cached) return cached
  const groups = new Map<string, Group>()
  for (const virtual of virtualBlocks) {
    const group = groups.get(virtual.groupId) ?? index.groupsById.get(virtual.groupId)
    if (!group) continue
    const blocks = [...group.blocks]
    blocks.splice(Math.min(virtual.index, blocks.length), 0, virtual.block)
    groups.set(group.id, { ...group, blocks })
  }
  splicedGroups.set(virtualBlocks, groups)
  return groups
}
