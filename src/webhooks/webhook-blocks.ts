/**
 * Typebot's Zapier/Make integration endpoints: the HTTP request blocks of a typebot and the URLs
 * automation platforms subscribe to them. Subscriptions are stored beside the typebot rather than
 * written into its draft (as Typebot does), so they reach running chats at once, without a
 * new publish; a block's own URL wins over a subscription, except for Zapier, Make.com and
 * Pabbly blocks, which exist to be subscribed to.
 */
import { requireTypebotAccess } from '../access.js'
import { AppError } from '../errors.js'
import { isRecord, recordOf } from '../json-record.js'
import type { Store, TypebotRecord, UserRecord } from '../storage/store.js'

const blockTypes = ['Webhook', 'Zapier', 'Make.com', 'Pabbly'] as const
type WebhookBlockType = (typeof blockTypes)[number]

export type WebhookBlock = { id: string; type: WebhookBlockType; label: string; url?: string }

export async function listWebhookBlocks(store: Store, user: UserRecord, typebotId: string): Promise<{ webhookBlocks: WebhookBlock[] }> {
  const typebot = await requireTypebotAccess(store, user, typebotId, 'read')
  const subscribed = new Map((await store.webhooks.listBlockSubscriptions(typebot.id)).map(({ blockId, url }) => [blockId, url]))
  const webhookBlocks = webhookBlocksOf(typebot).map(({ block, groupTitle, ownUrl }) => {
    const url = block.type === 'Webhook' ? (ownUrl ?? subscribed.get(block.id)) : (subscribed.get(block.id) ?? ownUrl)
    return { id: block.id, type: block.type, label: `${groupTitle} > ${block.id}`, ...(url ? { url } : {}) }
  })
  return { webhookBlocks }
}

export async function subscribeWebhookBlock(store: Store, user: UserRecord, typebotId: string, blockId: string, url: string | null) {
  const typebot = await requireTypebotAccess(store, user, typebotId, 'write')
  if (!webhookBlocksOf(typebot).some(({ block }) => block.id === blockId)) throw new AppError('NOT_FOUND', 'HttpRequest block not found')
  await store.webhooks.setBlockSubscription(typebot.id, blockId, url, new Date().toISOString())
  return { id: blockId, url }
}

type FoundBlock = { block: { id: string; type: WebhookBlockType }; groupTitle: string; ownUrl?: string }

/** The draft's HTTP request blocks, as Typebot lists them (in group order). */
function webhookBlocksOf(typebot: TypebotRecord): FoundBlock[] {
  const groups = Array.isArray(typebot.draft.groups) ? typebot.draft.groups : []
  return groups.flatMap((group) => {
    if (!isRecord(group) || !Array.isArray(group.blocks)) return []
    const groupTitle = typeof group.title === 'string' ? group.title : ''
    return group.blocks.flatMap((block): FoundBlock[] => {
      if (!isRecord(block) || typeof block.id !== 'string') return []
      const type = blockTypes.find((candidate) => candidate === block.type)
      if (!type) return []
      const url = recordOf(recordOf(block.options).webhook).url
      return [{ block: { id: block.id, type }, groupTitle, ...(typeof url === 'string' && url !== '' ? { ownUrl: url } : {}) }]
    })
  })
}
