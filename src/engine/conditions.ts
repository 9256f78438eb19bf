/**
 * Condition evaluation (§4.12), shared by the Condition block and item display conditions.
 * STUB: signature is the contract; body is being written.
 */
import type { EngineEnv, Variable } from './types.js'

export type Comparison = { id?: string; variableId?: string; comparisonOperator?: string; value?: string }
export type Condition = { logicalOperator?: 'AND' | 'OR'; comparisons?: Comparison[] }

export function evaluateCondition(condition: Condition | undefined, variables: Variable[], env: EngineEnv): boolean {
  throw new Error('not implemented: evaluateCondition')
}
