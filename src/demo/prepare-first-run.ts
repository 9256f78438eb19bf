import type { Config } from '../config.js'
import type { Store } from '../storage/store.js'
import { demoPublicId } from './demo-typebot.js'
import { ensureDemoTypebot } from './ensure-demo-typebot.js'

/** What `botflow serve` does before listening; `isDemoAvailable` feeds the start-up banner. */
export async function prepareFirstRun(store: Store, config: Pick<Config, 'isDemoEnabled'>): Promise<{ isDemoAvailable: boolean }> {
  if (!config.isDemoEnabled) return { isDemoAvailable: false }
  const outcome = await ensureDemoTypebot(store)
  if (outcome === 'created') return { isDemoAvailable: true }
  const typebot = await store.findTypebotByPublicId(demoPublicId)
  return { isDemoAvailable: Boolean(typebot?.publishedVersionId && !typebot.isArchived) }
}
