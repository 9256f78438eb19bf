import type { Effectful, Variable } from '../../types.js'
import { guessValueType, substituteVariables } from '../../variables.js'

export type ClientScript = { content: string; args: { id: string; value: unknown }[] }

/**
 * §5.7: source code for a client (or sandbox) where every `{{Name}}` became the variable's id,
 * plus one argument per distinct variable referenced, holding its guessed value.
 */
export function* buildClientScript(source: string, variables: Variable[]): Effectful<ClientScript> {
  const content = yield* substituteVariables(source, variables, { mode: 'id' })
  const names = new Set(Array.from(source.matchAll(/\{\{([^{}]+)\}\}/g), (match) => match[1]))
  const args: ClientScript['args'] = []
  for (const name of names) {
    const variable = variables.find((candidate) => candidate.name === name)
    if (variable && !args.some((arg) => arg.id === variable.id)) args.push({ id: variable.id, value: guessValueType(variable.value) })
  }
  return { content, args }
}
