/**
 * Rich text (Slate/Plate JSON) substitution and Markdown conversion (§5.6, §5.6.1).
 * STUB: signatures are the contract; bodies are being written.
 */
import type { EngineEnv, RichTextNode, Variable } from './types.js'

export function substituteRichText(
  nodes: RichTextNode[],
  variables: Variable[],
  env: EngineEnv,
  options?: { takeLatestIfList?: boolean },
): RichTextNode[] {
  throw new Error('not implemented: substituteRichText')
}

export function richTextToMarkdown(nodes: RichTextNode[]): string {
  throw new Error('not implemented: richTextToMarkdown')
}
