import { escapeHtml, renderDocument } from './html.js'

/** `GET /{publicId}` when no published typebot has that public id. */
export function renderNotFoundPage(input: { publicId: string; styleUrl: string }): string {
  return renderDocument({
    title: 'Chat not found',
    isIndexable: false,
    styleUrl: input.styleUrl,
    body: `<main class="bf-page">
<div class="bf-card-page">
<h1>This chat does not exist</h1>
<p>No published typebot has the public id <code>${escapeHtml(input.publicId)}</code>. It may have been unpublished or renamed.</p>
<p><a href="/">Go to the welcome page</a></p>
</div>
</main>`,
  })
}
