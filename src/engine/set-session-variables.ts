/**
 * An operator sets variables of a running session (`PATCH /sessions/{id}/variables`). Names or
 * ids resolve in every typebot of the link queue that declares them; the top one records
 * set-variable history on the waiting block, so a transcript replay shows the new values where
 * the conversation stood. Results of the touched typebots store the new values.
 */
import { applyVariableUpdates, mapQueue, resultVariablesOf } from './state.js'
import type { QueueEntry, SessionState, TurnRecords, Variable } from './types.js'
import { normalizeValue } from './variables.js'

export type VariableAssignment = { id?: string; name?: string; value: unknown }

export type SetVariablesOutcome =
  | { status: 'ok'; state: SessionState; records: TurnRecords }
  | { status: 'unknown'; unknown: VariableAssignment[] }

export function setSessionVariables(state: SessionState, assignments: VariableAssignment[]): SetVariablesOutcome {
  const unknown = assignments.filter((assignment) => !state.typebotsQueue.some((entry) => findVariable(entry, assignment)))
  if (unknown.length > 0) return { status: 'unknown', unknown }

  const records: TurnRecords = { answers: [], visitedEdges: [], setVariableHistory: [], results: [], logs: [] }
  const top = state.typebotsQueue[0]
  const topUpdates = assignments.flatMap((assignment) => {
    const variable = findVariable(top, assignment)
    return variable ? [{ id: variable.id, value: normalizeValue(assignment.value) }] : []
  })
  const applied = applyVariableUpdates(state, topUpdates, state.currentBlockId)
  let next = applied.state
  const isRecorded = !next.isPreview
  if (isRecorded && top.resultId)
    records.setVariableHistory.push(...applied.history.map((item) => ({ ...item, resultId: top.resultId ?? '' })))

  next = {
    ...next,
    typebotsQueue: mapQueue(next.typebotsQueue, (entry, index) => (index === 0 ? entry : withAssignments(entry, assignments))),
  }

  if (isRecorded) {
    next.typebotsQueue.forEach((entry, index) => {
      const original = state.typebotsQueue[index]
      if (!entry.resultId || !original || !assignments.some((assignment) => findVariable(original, assignment))) return
      if (records.results.some((result) => result.id === entry.resultId)) return
      records.results.push({
        id: entry.resultId,
        typebotId: entry.typebotId,
        variables: resultVariablesOf(entry.variables),
        hasStarted: entry.answers.length > 0,
        isCompleted: false,
      })
    })
  }
  return { status: 'ok', state: next, records }
}

function findVariable(entry: QueueEntry, assignment: VariableAssignment): Variable | undefined {
  if (assignment.id !== undefined) return entry.variables.find((variable) => variable.id === assignment.id)
  return entry.variables.find((variable) => variable.name === assignment.name)
}

function withAssignments(entry: QueueEntry, assignments: VariableAssignment[]): QueueEntry {
  let variables = entry.variables
  for (const assignment of assignments) {
    const target = findVariable({ ...entry, variables }, assignment)
    if (!target) continue
    const value = normalizeValue(assignment.value)
    variables = variables.map((variable) => (variable.id === target.id ? { ...variable, value: value === '' ? null : value } : variable))
  }
  return variables === entry.variables ? entry : { ...entry, variables }
}
