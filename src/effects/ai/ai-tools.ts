/**
 * Function tools for the model: when it calls one, the tool's code runs in the sandbox (never in
 * this process) with the flow's variables bound by id and the arguments by name; `setVariable`
 * and an SSRF-checked `fetch` are there, as in server-side Code blocks. The model gets the JSON
 * of the returned value, or of the error, so it can tell the user.
 */
import type { AiTool, AiVariableWrite } from '../../engine/ai-call.js'
import type { Sandbox, ScriptFetch } from '../sandbox.js'
import type { AiSdk } from './load-ai-sdk.js'

export type ToolRunner = { sandbox: Sandbox; fetch: ScriptFetch }

export type ToolVariables = { id: string; name: string; value: unknown }[]

/** `written` collects the `setVariable` calls of every run, in order. */
export function buildToolSet(sdk: AiSdk, tools: AiTool[], variables: ToolVariables, runner: ToolRunner, written: AiVariableWrite[]) {
  const current = variables.map((variable) => ({ ...variable }))
  return Object.fromEntries(
    tools.map((definition) => [
      definition.name,
      sdk.ai.dynamicTool({
        ...(definition.description ? { description: definition.description } : {}),
        inputSchema: sdk.ai.jsonSchema(definition.parameters),
        async execute(input: unknown) {
          const args = typeof input === 'object' && input !== null ? Object.entries(input) : []
          const bindings = [...current, ...args.map(([name, value]) => ({ id: name, name, value }))]
          const result = await runner.sandbox.runServerScript(definition.code, bindings, { fetch: runner.fetch })
          for (const write of result.variablesToSet) {
            written.push(write)
            // Later calls of this turn see what earlier ones set, as in Typebot.
            const variable = current.find((candidate) => candidate.name === write.name)
            if (variable) variable.value = write.value
          }
          const output = result.ok
            ? result.value
            : { description: result.error ?? 'The function failed', context: 'While executing function' }
          return stringify(output)
        },
      }),
    ]),
  )
}

function stringify(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value === 'string') return value
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return String(value)
  }
}
