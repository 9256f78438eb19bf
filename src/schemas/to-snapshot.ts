import type { TypebotSnapshot } from '../engine/types.js'
import type { TypebotDocument } from './typebot.js'

/** The parts of a parsed typebot document the engine runs. */
export function toSnapshot(typebot: TypebotDocument): TypebotSnapshot {
  return {
    id: typebot.id,
    version: typebot.version,
    groups: typebot.groups,
    events: typebot.events ?? null,
    edges: typebot.edges,
    variables: typebot.variables,
    settings: typebot.settings ?? {},
    theme: typebot.theme ?? {},
  }
}
