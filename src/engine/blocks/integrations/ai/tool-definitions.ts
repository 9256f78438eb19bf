/**
 * Function tools of the AI blocks: a name, a description, typed parameters and JavaScript code
 * that runs in the sandbox when the model calls the function (§7.5.2).
 */

import type { AiTool } from '../../../ai-call.js'
import type { BlockContext } from '../../../block-handler.js'
import type { Effectful } from '../../../types.js'
import { substituteVariables } from '../../../variables.js'
import type { AiToolOption, VariableToExtract } from './parse-ai-options.js'

/** Tools without a name or code are left out, as Typebot does. */
export function* buildTools(tools: AiToolOption[] | undefined, ctx: BlockContext): Effectful<AiTool[]> {
  const built: AiTool[] = []
  for (const tool of tools ?? []) {
    if (!tool.name || !tool.code) continue
    built.push({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      parameters: toObjectSchema(
        (tool.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          type: parameter.type,
          description: parameter.description,
          values: parameter.values,
          isRequired: parameter.required !== false,
        })),
      ),
      // `{{Variable}}` in code names the variable itself (bound by id), as in server-side scripts.
      code: yield* substituteVariables(tool.code, ctx.variables, { mode: 'id' }),
    })
  }
  return built
}

type Field = { name?: string; type?: string; description?: string; values?: string[]; isRequired: boolean }

/** A JSON schema object; fields of an unknown type or without a name are left out. */
export function toObjectSchema(fields: Field[], options: { isNullableWhenOptional?: boolean } = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = {}
  const required: string[] = []
  for (const field of fields) {
    if (!field.name) continue
    const schema = fieldSchema(field)
    if (!schema) continue
    const description = field.description ? { description: field.description } : {}
    if (field.isRequired) {
      properties[field.name] = { ...schema, ...description }
      required.push(field.name)
    } else if (options.isNullableWhenOptional) {
      // Structured output wants every property listed: an optional one may be null instead.
      properties[field.name] = { anyOf: [schema, { type: 'null' }], ...description }
      required.push(field.name)
    } else {
      properties[field.name] = { ...schema, ...description }
    }
  }
  return { type: 'object', properties, required, additionalProperties: false }
}

function fieldSchema(field: Field): Record<string, unknown> | undefined {
  switch (field.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return { type: field.type }
    case 'array':
      return { type: 'array', items: { type: 'string' } }
    case 'enum': {
      const values = (field.values ?? []).filter((value) => value !== '')
      return values.length > 0 ? { type: 'string', enum: values } : undefined
    }
    default:
      return undefined
  }
}

/** "Generate variables": one property per variable to extract, named after the variable. */
export function buildExtractionSchema(variablesToExtract: VariableToExtract[] | undefined, ctx: BlockContext) {
  const fields = (variablesToExtract ?? []).flatMap((entry): Field[] => {
    const variable = ctx.variables.find((candidate) => candidate.id === entry.variableId)
    if (!entry.type || !variable) return []
    return [
      {
        name: variable.name,
        type: entry.type,
        description: entry.description,
        values: entry.values,
        isRequired: entry.isRequired !== false,
      },
    ]
  })
  if (fields.length === 0) return undefined
  return {
    schema: toObjectSchema(fields, { isNullableWhenOptional: true }),
    hasOptionalFields: fields.some((field) => !field.isRequired),
  }
}
