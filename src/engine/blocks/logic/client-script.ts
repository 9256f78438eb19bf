import type { EngineEnv, Variable } from '../../types.js'
import { guessValueType, substituteVariables } from '../../variables.js'

export type ClientScript = { content: string; args: { id: string; value: unknown }[] }

/**
 * §5.7: source code for a client (or sandbox) where every `{{Name}}` became the variable's id,
 * plus one argument per distinct variable referenced, holding its guessed value.
 */
export function buildClientScript(source: string, variables: Variable[], env: EngineEnv): ClientScript {
  const content = substituteVariables(source, variables, env, { mode: 'id' })
  const names = new Set(Array.from(source.matchAll(/\{\{([^{}]+)\}\}/g), (match) => match[1]))
  const args: ClientScript['args'] = []
  for (const name of names) {
    const variable = variables.find((candidate) => candidate.name === name)
    if (variable && !args.some((arg) => arg.id === variable.id)) args.push({ id: variable.id, value: guessValueType(variable.value) })
  }
  return { content, args }
}

/** Every variable as sandboxed code sees it: a global named by id holding the guessed value. */
export function codeGlobalsOf(variables: Variable[]): Record<string, unknown> {
  return Object.fromEntries(variables.map((variable) => [variable.id, guessValueType(variable.value)]))
}
