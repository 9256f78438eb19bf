import { toEmbedSnippet } from './embed-snippet.js'
import { escapeHtml, renderDocument } from './html.js'

/** `GET /`: where to go next on a fresh server. */
export function renderWelcomePage(input: { baseUrl: string; isDemoPublished: boolean; styleUrl: string }): string {
  const demo = input.isDemoPublished ? `<li><a href="/demo">Chat with the demo typebot</a></li>` : ''
  return renderDocument({
    title: 'botflow',
    description: 'An open runtime for Typebot flows.',
    styleUrl: input.styleUrl,
    body: `<main class="bf-page">
<div class="bf-card-page">
<h1>botflow is running</h1>
<p>An open runtime for chatbots made with Typebot: it speaks Typebot's Chat API 3.0.0.</p>
<ul>
${demo}
<li><a href="/api/docs">API reference</a> (<a href="/api/openapi.json">OpenAPI document</a>)</li>
</ul>
<p>Create an API token:</p>
<p><code>npx botflow token create --email you@example.com</code></p>
<p>Import and publish a typebot export, then chat with it at <code>${escapeHtml(input.baseUrl)}/my-bot</code>:</p>
<p><code>npx botflow typebot import my-bot.json --workspace &lt;workspaceId&gt; --public-id my-bot --publish</code></p>
<p>Put it on any website as a chat bubble:</p>
<p><code>${escapeHtml(toEmbedSnippet(input.baseUrl, 'my-bot'))}</code></p>
</div>
</main>`,
  })
}
