import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { recordOf } from '../../json-record.js'
import type { Store, TypebotRecord } from '../../storage/store.js'
import { renderChatPage } from '../../web/pages/render-chat-page.js'
import { renderNotFoundPage } from '../../web/pages/render-not-found-page.js'
import { renderWelcomePage } from '../../web/pages/render-welcome-page.js'
import { createWebAssets, type WebAssets, webAssetsPrefix } from '../../web/pages/web-assets.js'

/** The public web pages; none is part of the API, so none is in the OpenAPI document. */
const hidden = { schema: { hide: true } }

const htmlHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
}

/**
 * `GET /` (welcome), `GET /{publicId}` (the chat page, or a 404 page), `GET /{publicId}/embed.js`
 * (the bubble snippet) and the built assets under `/_botflow/`, a prefix no public id can take
 * (public ids hold letters, digits, "-" and ".").
 */
export function registerWebRoutes(app: FastifyInstance, deps: { store: Store; publicUrl?: string }, assets: WebAssets = createWebAssets()) {
  const { store } = deps
  // Behind a proxy the request shows the proxy's view of the host: PUBLIC_URL says what users see.
  const baseUrlOf = (request: FastifyRequest) => deps.publicUrl ?? `${request.protocol}://${request.host}`

  app.get('/', hidden, async (request, reply) => {
    const demo = await findPublishedTypebot(store, 'demo')
    return sendHtml(
      reply,
      200,
      renderWelcomePage({ baseUrl: baseUrlOf(request), isDemoPublished: demo !== undefined, styleUrl: assets.urlOf('chat.css') }),
    )
  })

  app.get<{ Params: { name: string }; Querystring: { v?: string } }>(`${webAssetsPrefix}/:name`, hidden, async (request, reply) => {
    const asset = assets.find(request.params.name)
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found')
    const isVersioned = request.query.v === asset.version
    return reply
      .type(asset.contentType)
      .header('cache-control', isVersioned ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body)
  })

  app.get<{ Params: { publicId: string } }>('/:publicId', hidden, async (request, reply) => {
    const { publicId } = request.params
    const typebot = await findPublishedTypebot(store, publicId)
    if (!typebot) return sendHtml(reply, 404, renderNotFoundPage({ publicId, styleUrl: assets.urlOf('chat.css') }))
    if (!assets.find('chat.js')) return sendAssetsMissing(reply)
    const metadata = await findMetadata(store, typebot)
    return sendHtml(
      reply,
      200,
      renderChatPage({
        publicId,
        title: usableText(metadata.title) ?? typebot.name,
        description: usableText(metadata.description),
        faviconUrl: typeof metadata.favIconUrl === 'string' && /^https?:\/\//.test(metadata.favIconUrl) ? metadata.favIconUrl : undefined,
        isIndexable: metadata.allowIndexing !== false,
        styleUrl: assets.urlOf('chat.css'),
        scriptUrl: assets.urlOf('chat.js'),
      }),
    )
  })

  app.get<{ Params: { publicId: string } }>('/:publicId/embed.js', hidden, async (request, reply) => {
    const { publicId } = request.params
    const typebot = await findPublishedTypebot(store, publicId)
    const bundle = assets.find('embed.js')
    reply.type('text/javascript; charset=utf-8').header('x-content-type-options', 'nosniff')
    if (!typebot) return reply.code(404).send(`/* botflow: no published typebot has the public id ${JSON.stringify(publicId)} */\n`)
    if (!bundle) return reply.code(503).send('/* botflow: the web assets are not built (npm run build) */\n')
    const defaults = { publicId, name: typebot.name, ...(await findButtonColors(store, typebot)) }
    // The bundle reads `botflowEmbedDefaults`; wrapping keeps it out of the host page's globals.
    const code = bundle.body.toString('utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n')
    return reply
      .header('cache-control', 'public, max-age=300')
      .send(`(function (botflowEmbedDefaults) {\n${code}})(${JSON.stringify(defaults)});\n`)
  })
}

/** The typebot behind a public id, when it is published and not archived. */
async function findPublishedTypebot(store: Store, publicId: string): Promise<TypebotRecord | undefined> {
  const typebot = await store.findTypebotByPublicId(publicId)
  return typebot?.publishedVersionId && !typebot.isArchived ? typebot : undefined
}

async function findPublishedContent(store: Store, typebot: TypebotRecord): Promise<Record<string, unknown>> {
  const version = typebot.publishedVersionId ? await store.findVersion(typebot.publishedVersionId) : undefined
  return version?.content ?? {}
}

async function findMetadata(store: Store, typebot: TypebotRecord): Promise<Record<string, unknown>> {
  return recordOf(recordOf((await findPublishedContent(store, typebot)).settings).metadata)
}

async function findButtonColors(store: Store, typebot: TypebotRecord): Promise<{ buttonColor?: string; iconColor?: string }> {
  const buttons = recordOf(recordOf(recordOf((await findPublishedContent(store, typebot)).theme).chat).buttons)
  const colors: { buttonColor?: string; iconColor?: string } = {}
  if (isPlainColor(buttons.backgroundColor)) colors.buttonColor = buttons.backgroundColor
  if (isPlainColor(buttons.color)) colors.iconColor = buttons.color
  return colors
}

function isPlainColor(value: unknown): value is string {
  return typeof value === 'string' && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|rgba|hsl|hsla)\([0-9.,%\s/]+\))$/.test(value)
}

/** Metadata strings still holding `{{variables}}` are meant for a running chat, not a page title. */
function usableText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && !value.includes('{{') ? value : undefined
}

function sendHtml(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).headers(htmlHeaders).send(html)
}

function sendAssetsMissing(reply: FastifyReply) {
  return reply
    .code(503)
    .headers(htmlHeaders)
    .send('<!doctype html><title>botflow</title><p>The chat page is not built. Run <code>npm run build</code> (npm start does it).</p>\n')
}
