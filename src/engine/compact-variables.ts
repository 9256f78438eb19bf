/**
 * Stored sessions keep only what a conversation adds to its typebot versions. The engine runs on
 * full variable lists (every declared variable, in the declared order, then the ones only the
 * session has); in the stored form each queue entry keeps just the variables that differ from
 * their declaration in the entry's version, or that the version does not declare.
 *
 * Stored states are marked: `version: 'botflow-2'` is compact, `'botflow-1'` (sessions written
 * before compaction existed) holds full lists and expands to itself.
 */
import { mapQueue } from './state.js'
import type { CompactSessionState, SessionState, StoredSessionState, TypebotSnapshot, Variable, VariableValue } from './types.js'

/** The loaded snapshot of a queue entry's version; undefined when it is not available. */
export type SnapshotOf = (versionId: string) => TypebotSnapshot | undefined

/** The stored form of a state. An entry whose version is unavailable keeps its full list. */
export function compactState(state: SessionState, snapshotOf: SnapshotOf): CompactSessionState {
  return {
    ...state,
    version: 'botflow-2',
    typebotsQueue: mapQueue(state.typebotsQueue, (entry) => ({
      ...entry,
      variables: compactVariables(entry.variables, snapshotOf(entry.versionId)),
    })),
  }
}

/** The full state of a stored one: declared variables in order, each replaced by the session's, then the session's own. */
export function expandState(state: StoredSessionState, snapshotOf: SnapshotOf): SessionState {
  if (state.version === 'botflow-1') return state
  return {
    ...state,
    version: 'botflow-1',
    typebotsQueue: mapQueue(state.typebotsQueue, (entry) => ({
      ...entry,
      variables: expandVariables(entry.variables, snapshotOf(entry.versionId)),
    })),
  }
}

export function compactVariables(variables: Variable[], snapshot: TypebotSnapshot | undefined): Variable[] {
  if (!snapshot) return variables
  const declared = declarationsOf(snapshot)
  return variables.filter((variable) => !isDeclaredAs(declared, variable))
}

export function expandVariables(stored: Variable[], snapshot: TypebotSnapshot | undefined): Variable[] {
  if (!snapshot) return stored
  const storedById = new Map(stored.map((variable) => [variable.id, variable]))
  const variables = snapshot.variables.map((declared) => storedById.get(declared.id) ?? declared)
  const declared = declarationsOf(snapshot)
  for (const variable of stored) if (!declared.has(variable.id)) variables.push(variable)
  return variables
}

/**
 * The compact variables of an entry that moves from version `previous` to `target`, equal to
 * compacting (for `target`) Typebot's merge of the full lists (§8.1 step 4) in the canonical
 * order: session values win over new defaults, and a variable `previous` declared stays even
 * when `target` drops it. Costs O(stored + versions' difference), not O(declared variables).
 */
export function rebaseVariables(stored: Variable[], previous: TypebotSnapshot | undefined, target: TypebotSnapshot): Variable[] {
  const targetDeclared = declarationsOf(target)
  const previousDeclared = previous ? declarationsOf(previous) : emptyDeclarations
  const storedIds = new Set(stored.map((variable) => variable.id))
  const implied = previous ? impliedOnlyByPrevious(previous, target).filter((variable) => !storedIds.has(variable.id)) : []
  const kept = [...stored, ...implied].filter((variable) => !isDeclaredAs(targetDeclared, variable))
  // Canonical order: the target's declared variables, then those only `previous` declared, then the session's own.
  const positionOf = (variable: Variable, storedIndex: number): number => {
    const inTarget = targetDeclared.get(variable.id)?.index
    if (inTarget !== undefined) return inTarget
    const inPrevious = previousDeclared.get(variable.id)?.index
    return targetDeclared.size + (inPrevious ?? previousDeclared.size + storedIndex)
  }
  const positioned = kept.map((variable, index) => ({ variable, position: positionOf(variable, index) }))
  return positioned.sort((left, right) => left.position - right.position).map(({ variable }) => variable)
}

type Declarations = Map<string, { variable: Variable; index: number }>

const emptyDeclarations: Declarations = new Map()
const declarationIndexes = new WeakMap<TypebotSnapshot, Declarations>()
const impliedDiffs = new WeakMap<TypebotSnapshot, WeakMap<TypebotSnapshot, Variable[]>>()

/** id -> declaration and position; built once per immutable snapshot. */
function declarationsOf(snapshot: TypebotSnapshot): Declarations {
  let declarations = declarationIndexes.get(snapshot)
  if (!declarations) {
    declarations = new Map()
    for (const variable of snapshot.variables) {
      if (!declarations.has(variable.id)) declarations.set(variable.id, { variable, index: declarations.size })
    }
    declarationIndexes.set(snapshot, declarations)
  }
  return declarations
}

/**
 * Declarations of `previous` that `target` does not imply (dropped or declared differently): a
 * session that relied on them must now store them. Computed once per pair of snapshots.
 */
function impliedOnlyByPrevious(previous: TypebotSnapshot, target: TypebotSnapshot): Variable[] {
  let byTarget = impliedDiffs.get(previous)
  if (!byTarget) {
    byTarget = new WeakMap()
    impliedDiffs.set(previous, byTarget)
  }
  let diff = byTarget.get(target)
  if (!diff) {
    const targetDeclared = declarationsOf(target)
    diff = [...declarationsOf(previous).values()]
      .map(({ variable }) => variable)
      .filter((variable) => !isDeclaredAs(targetDeclared, variable))
    byTarget.set(target, diff)
  }
  return diff
}

function isDeclaredAs(declarations: Declarations, variable: Variable): boolean {
  const declared = declarations.get(variable.id)?.variable
  return (
    declared !== undefined &&
    declared.name === variable.name &&
    declared.isSessionVariable === variable.isSessionVariable &&
    isSameValue(declared.value, variable.value)
  )
}

/** `null` and absent stay distinct so that a round trip gives back exactly what was compacted. */
function isSameValue(left: VariableValue | undefined, right: VariableValue | undefined): boolean {
  if (left === right) return true
  if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false
  return left.every((item, index) => item === right[index])
}
