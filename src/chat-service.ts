/** The imperative shell around the engine (being written): load session, run engine, perform effects, save. */
import type { Config } from './config.js'
import type { Store } from './storage/store.js'

export type ChatService = { close(): Promise<void> }

export async function createChatService(deps: { store: Store; effects: Config['effects'] }): Promise<ChatService> {
  void deps
  return { close: async () => undefined }
}
