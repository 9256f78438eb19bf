import { z } from 'zod'

/**
 * zod schemas of the logic blocks, one per `type` string. Options stay optional and loose on
 * purpose: exports from every Typebot version must load, and the engine applies the defaults.
 */

const blockBase = {
  id: z.string(),
  outgoingEdgeId: z.string().optional(),
}

const comparisonSchema = z.object({
  id: z.string().optional(),
  variableId: z.string().optional(),
  comparisonOperator: z.string().optional(),
  value: z.string().optional(),
})

export const conditionSchema = z.object({
  logicalOperator: z.enum(['AND', 'OR']).optional(),
  comparisons: z.array(comparisonSchema).optional(),
})

export const setVariableBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Set variable'),
  options: z
    .object({
      variableId: z.string().optional(),
      type: z.string().optional(),
      expressionToEvaluate: z.string().optional(),
      isCode: z.boolean().optional(),
      isExecutedOnClient: z.boolean().optional(),
      isUnsafe: z.boolean().optional(),
      item: z.string().optional(),
      timeZone: z.string().optional(),
      saveItemInVariableId: z.string().optional(),
      saveErrorInVariableId: z.string().optional(),
      mapListItemParams: z
        .object({
          baseItemVariableId: z.string().optional(),
          baseListVariableId: z.string().optional(),
          targetListVariableId: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
})

export const conditionBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Condition'),
  items: z.array(
    z.object({
      id: z.string(),
      outgoingEdgeId: z.string().optional(),
      content: conditionSchema.optional(),
    }),
  ),
})

export const redirectBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Redirect'),
  options: z.object({ url: z.string().optional(), isNewTab: z.boolean().optional() }).optional(),
})

export const scriptBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Code'),
  options: z
    .object({
      name: z.string().optional(),
      content: z.string().optional(),
      isExecutedOnClient: z.boolean().optional(),
      isUnsafe: z.boolean().optional(),
      shouldExecuteInParentContext: z.boolean().optional(),
    })
    .optional(),
})

export const typebotLinkBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Typebot link'),
  options: z
    .object({
      typebotId: z.string().optional(),
      groupId: z.string().optional(),
      mergeResults: z.boolean().optional(),
    })
    .optional(),
})

export const waitBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Wait'),
  options: z
    .object({
      // Old exports store a number here.
      secondsToWaitFor: z.union([z.string(), z.number()]).optional(),
      shouldPause: z.boolean().optional(),
    })
    .optional(),
})

export const abTestBlockSchema = z.object({
  ...blockBase,
  type: z.literal('AB test'),
  items: z.array(
    z.object({
      id: z.string(),
      path: z.enum(['a', 'b']).optional(),
      outgoingEdgeId: z.string().optional(),
    }),
  ),
  options: z.object({ aPercent: z.number().optional() }).optional(),
})

export const webhookListenerBlockSchema = z.object({
  ...blockBase,
  type: z.literal('webhook'),
  options: z
    .object({
      responseVariableMapping: z
        .array(z.object({ id: z.string().optional(), variableId: z.string().optional(), bodyPath: z.string().optional() }))
        .optional(),
    })
    .optional(),
})

export const jumpBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Jump'),
  options: z.object({ groupId: z.string().optional(), blockId: z.string().optional() }).optional(),
})

export const returnBlockSchema = z.object({
  ...blockBase,
  type: z.literal('Return'),
})

/** The entry block of v3-v5 documents (`groups[0].blocks[0]`): a marker the walk passes through. */
export const startBlockSchema = z.object({
  ...blockBase,
  type: z.literal('start'),
  label: z.string().optional(),
})

export const logicBlockSchemas = [
  setVariableBlockSchema,
  conditionBlockSchema,
  redirectBlockSchema,
  scriptBlockSchema,
  typebotLinkBlockSchema,
  waitBlockSchema,
  abTestBlockSchema,
  webhookListenerBlockSchema,
  jumpBlockSchema,
  returnBlockSchema,
  startBlockSchema,
] as const satisfies readonly z.ZodObject[]

export type SetVariableBlock = z.infer<typeof setVariableBlockSchema>
export type ConditionBlock = z.infer<typeof conditionBlockSchema>
export type RedirectBlock = z.infer<typeof redirectBlockSchema>
export type ScriptBlock = z.infer<typeof scriptBlockSchema>
export type TypebotLinkBlock = z.infer<typeof typebotLinkBlockSchema>
export type WaitBlock = z.infer<typeof waitBlockSchema>
export type AbTestBlock = z.infer<typeof abTestBlockSchema>
export type WebhookListenerBlock = z.infer<typeof webhookListenerBlockSchema>
export type JumpBlock = z.infer<typeof jumpBlockSchema>
export type ReturnBlock = z.infer<typeof returnBlockSchema>
export type StartBlock = z.infer<typeof startBlockSchema>
