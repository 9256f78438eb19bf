import {
  type KyselyPlugin,
  OperationNodeTransformer,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely'

/**
 * PostgreSQL text columns refuse U+0000, which any client can put in an id or a reply. Replacing it
 * with U+FFFD in every string parameter turns a would-be 500 into an ordinary miss or a stored reply.
 */
export class ReplaceNulPlugin implements KyselyPlugin {
  private readonly transformer = new NulTransformer()

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node)
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === 'string' && node.value.includes('\u0000') ? { ...node, value: replaceNul(node.value) } : node
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    if (!node.values.some((value) => typeof value === 'string' && value.includes('\u0000'))) return node
    return { ...node, values: node.values.map((value) => (typeof value === 'string' ? replaceNul(value) : value)) }
  }
}

/** What the plugin does to each string parameter; for queries compiled once and run with new parameters. */
export function replaceNul(value: string): string {
  // Looking costs less than replacing (2% of a PostgreSQL turn's CPU went to replaceAll on strings without one).
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value
}
