import { escapeHtml, renderDocument } from './html.js'

export type ChatPageInput = {
  publicId: string
  /** `settings.metadata.title`, else the typebot's name. */
  title: string
  description?: string
  faviconUrl?: string
  isIndexable: boolean
  styleUrl: string
  scriptUrl: string
}

/** The shell of `GET /{publicId}`: the page script starts the chat through the public Chat API. */
export function renderChatPage(input: ChatPageInput): string {
  return renderDocument({
    title: input.title,
    description: input.description,
    faviconUrl: input.faviconUrl,
    isIndexable: input.isIndexable,
    styleUrl: input.styleUrl,
    scriptUrl: input.scriptUrl,
    body: `<main id="botflow-chat" class="bf-chat" data-public-id="${escapeHtml(input.publicId)}" aria-label="${escapeHtml(input.title)}">
<noscript><p class="bf-notice">This chat needs JavaScript.</p></noscript>
</main>`,
  })
}
