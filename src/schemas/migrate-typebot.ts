/**
 * Brings an export of any Typebot version to 6.1 before it is parsed (docs/runtime.md §1.1).
 * v3-v5 documents enter through a block of type "start"; v6 ones through a start event. The
 * migration works on untrusted JSON: anything it does not recognise is passed on unchanged for
 * the schema to report.
 */

import { isRecord } from '../json-record.js'

type JsonRecord = Record<string, unknown>

const LATEST_VERSION = '6.1'

/** Returns v6/6.1 documents (and anything that is not a typebot) unchanged. */
export function migrateTypebot(raw: unknown): unknown {
  if (!isRecord(raw)) return raw
  const version = readVersion(raw.version)
  if (version === 'unknown' || version >= 6) return raw
  return migrateFromV5(version < 5 ? preprocessLegacy(raw) : raw)
}

/** The version as a number; a missing version is Typebot's "3"; 'unknown' for anything else. */
function readVersion(version: unknown): number | 'unknown' {
  if (version === undefined || version === null) return 3
  if (typeof version !== 'string' && typeof version !== 'number') return 'unknown'
  const asNumber = Number(version)
  return version !== '' && Number.isFinite(asNumber) ? asNumber : 'unknown'
}

// Typebot tolerates broken pre-v5 documents: groups without blocks, half-written edges.
function preprocessLegacy(typebot: JsonRecord): JsonRecord {
  return {
    ...typebot,
    groups: Array.isArray(typebot.groups)
      ? typebot.groups.map((group) => (isRecord(group) && !Array.isArray(group.blocks) ? { ...group, blocks: [] } : group))
      : typebot.groups,
    edges: Array.isArray(typebot.edges) ? typebot.edges.filter(isLegacyEdge) : typebot.edges,
  }
}

function isLegacyEdge(edge: unknown): boolean {
  if (!isRecord(edge) || typeof edge.id !== 'string') return false
  const { from, to } = edge
  const hasSource = isRecord(from) && (typeof from.blockId === 'string' || typeof from.eventId === 'string')
  return hasSource && isRecord(to) && typeof to.groupId === 'string'
}

function migrateFromV5(typebot: JsonRecord): JsonRecord {
  if (!Array.isArray(typebot.groups)) return { ...typebot, version: LATEST_VERSION, events: [] }
  const groups: unknown[] = typebot.groups
  const startGroup = groups.filter(isRecord).find((group) => blocksOf(group).some(isStartBlock))
  const startBlock = startGroup ? blocksOf(startGroup).find(isStartBlock) : undefined
  const startEvent =
    startGroup && startBlock
      ? withoutUndefined({
          id: startGroup.id,
          type: 'start',
          graphCoordinates: startGroup.graphCoordinates,
          outgoingEdgeId: startBlock.outgoingEdgeId,
        })
      : undefined
  const startBlockIds = new Set(
    groups.filter(isRecord).flatMap((group) =>
      blocksOf(group)
        .filter(isStartBlock)
        .map((block) => block.id),
    ),
  )
  const isStartEdge = (edge: JsonRecord) =>
    (typeof startBlock?.outgoingEdgeId === 'string' && edge.id === startBlock.outgoingEdgeId) ||
    (isRecord(edge.from) && startBlockIds.has(edge.from.blockId))

  return {
    ...typebot,
    version: LATEST_VERSION,
    events: startEvent ? [startEvent] : [],
    groups: groups.flatMap(migrateGroup),
    edges: Array.isArray(typebot.edges)
      ? typebot.edges.map((edge) =>
          isRecord(edge) ? migrateEdge(edge, isStartEdge(edge) && startEvent ? startEvent.id : undefined) : edge,
        )
      : typebot.edges,
  }
}

// A group that only held the start block becomes the start event and disappears.
function migrateGroup(group: unknown): unknown[] {
  if (!isRecord(group) || !Array.isArray(group.blocks)) return [group]
  const blocks = group.blocks.filter((block) => !isStartBlock(block))
  if (blocks.length === 0 && group.blocks.length > 0) return []
  return [{ ...group, blocks: blocks.map(migrateBlock) }]
}

function migrateBlock(block: unknown): unknown {
  if (!isRecord(block)) return block
  const { groupId: _legacyGroupId, ...fields } = block
  const migrated: JsonRecord = Array.isArray(fields.items) ? { ...fields, items: fields.items.map(migrateItem) } : fields
  // Pre-v6 links merge results unless told otherwise; v6 defaults to not merging (§4.10).
  if (migrated.type === 'Typebot link') {
    const options = isRecord(migrated.options) ? migrated.options : {}
    if (options.mergeResults === undefined) return { ...migrated, options: { ...options, mergeResults: true } }
  }
  return migrated
}

// v4 items also carry a numeric `type` (Typebot's old ItemType enum); v6 items have none.
function migrateItem(item: unknown): unknown {
  if (!isRecord(item)) return item
  const { blockId: _legacyBlockId, ...fields } = item
  if (typeof fields.type !== 'number') return fields
  const { type: _legacyType, ...rest } = fields
  return rest
}

function migrateEdge(edge: JsonRecord, startEventId: unknown): JsonRecord {
  if (startEventId !== undefined) return { ...edge, from: { eventId: startEventId } }
  if (!isRecord(edge.from) || typeof edge.from.eventId === 'string') return edge
  const { blockId, itemId, pathId } = edge.from
  return { ...edge, from: withoutUndefined({ blockId, itemId, pathId }) }
}

function blocksOf(group: JsonRecord): JsonRecord[] {
  return Array.isArray(group.blocks) ? group.blocks.filter(isRecord) : []
}

function isStartBlock(block: unknown): block is JsonRecord {
  return isRecord(block) && block.type === 'start'
}

function withoutUndefined(record: JsonRecord): JsonRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}
