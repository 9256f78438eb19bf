/**
 * The demo typebot published at `/demo` on a fresh server: a greeting, a name question, a menu
 * of buttons, rich text, a rating and answers that use variables. A Typebot 6.1 export.
 */

type Leaf = { text: string; bold?: boolean; italic?: boolean; underline?: boolean }
type RichElement = { type: string; url?: string; children: (RichElement | Leaf)[] }

const paragraph = (...children: (RichElement | Leaf | string)[]): RichElement => ({
  type: 'p',
  children: children.map((child) => (typeof child === 'string' ? { text: child } : child)),
})
const text = (id: string, ...richText: RichElement[]) => ({ id, type: 'text', content: { richText } })
const listItem = (value: string): RichElement => ({ type: 'li', children: [{ type: 'lic', children: [{ text: value }] }] })
const choice = (id: string, content: string, outgoingEdgeId: string) => ({ id, content, outgoingEdgeId })
const edge = (id: string, from: Record<string, string>, groupId: string) => ({ id, from, to: { groupId } })

export const demoPublicId = 'demo'

/** A robot face drawn inline: no picture to fetch, and no emoji font needed. */
const avatarSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="20" fill="#4F46E5"/><rect x="10" y="13" width="20" height="16" rx="5" fill="#fff"/><circle cx="16" cy="21" r="2.2" fill="#4F46E5"/><circle cx="24" cy="21" r="2.2" fill="#4F46E5"/><rect x="19" y="7" width="2" height="6" fill="#fff"/><circle cx="20" cy="7" r="2" fill="#fff"/></svg>'

export const demoTypebot = {
  version: '6.1',
  name: 'botflow demo',
  events: [{ id: 'demo-start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'demo-edge-start' }],
  variables: [
    { id: 'demo-var-name', name: 'Name' },
    { id: 'demo-var-rating', name: 'Rating' },
  ],
  groups: [
    {
      id: 'demo-group-welcome',
      title: 'Welcome',
      graphCoordinates: { x: 300, y: 0 },
      blocks: [
        text('demo-hello', paragraph("Hi! 👋 I'm the ", { text: 'botflow', bold: true }, ' demo bot.')),
        text('demo-ask-name', paragraph('botflow runs chatbots made with Typebot, right here in your browser. What should I call you?')),
        {
          id: 'demo-name',
          type: 'text input',
          options: { labels: { placeholder: 'Type your name...', button: 'Send' }, variableId: 'demo-var-name' },
          outgoingEdgeId: 'demo-edge-menu',
        },
      ],
    },
    {
      id: 'demo-group-menu',
      title: 'Menu',
      graphCoordinates: { x: 700, y: 0 },
      blocks: [
        text('demo-menu-text', paragraph('Nice to meet you, {{Name}}! What would you like to do?')),
        {
          id: 'demo-menu',
          type: 'choice input',
          items: [
            choice('demo-menu-features', 'Show me what you can do', 'demo-edge-features'),
            choice('demo-menu-own', 'How do I chat with my own bot?', 'demo-edge-own'),
            choice('demo-menu-bye', 'Just saying hi', 'demo-edge-bye'),
          ],
        },
      ],
    },
    {
      id: 'demo-group-features',
      title: 'Features',
      graphCoordinates: { x: 1100, y: -300 },
      blocks: [
        text(
          'demo-rich-text',
          paragraph(
            'Bubbles can hold ',
            { text: 'bold', bold: true },
            ', ',
            { text: 'italic', italic: true },
            ' and ',
            { text: 'underlined', underline: true },
            ' text, and ',
            { type: 'a', url: 'https://typebot.io', children: [{ text: 'links' }] },
            '.',
          ),
        ),
        text('demo-list', paragraph('A typebot can also ask for:'), {
          type: 'ul',
          children: [listItem('emails, numbers, dates and phone numbers'), listItem('choices, pictures, cards and ratings')],
        }),
        text('demo-ask-rating', paragraph('How would you rate this demo, {{Name}}?')),
        {
          id: 'demo-rating',
          type: 'rating input',
          options: {
            buttonType: 'Icons',
            length: 5,
            isOneClickSubmitEnabled: true,
            labels: { button: 'Send' },
            variableId: 'demo-var-rating',
          },
          outgoingEdgeId: 'demo-edge-rated',
        },
      ],
    },
    {
      id: 'demo-group-rated',
      title: 'Rated',
      graphCoordinates: { x: 1500, y: -300 },
      blocks: [
        text('demo-thanks', paragraph('Thanks! You gave {{Rating}} out of 5.')),
        {
          id: 'demo-after-rating',
          type: 'choice input',
          items: [
            choice('demo-rated-menu', 'Back to the menu', 'demo-edge-rated-menu'),
            choice('demo-rated-bye', "I'm done", 'demo-edge-rated-bye'),
          ],
        },
      ],
    },
    {
      id: 'demo-group-own',
      title: 'Your own bot',
      graphCoordinates: { x: 1100, y: 100 },
      blocks: [
        text('demo-steps', paragraph('Three steps:'), {
          type: 'ol',
          children: [
            listItem('Create an API token: npx botflow token create --email you@example.com'),
            listItem(
              'Import and publish your Typebot export: npx botflow typebot import my-bot.json --workspace <workspaceId> --public-id my-bot --publish',
            ),
            listItem('Open /my-bot on this server.'),
          ],
        }),
        text(
          'demo-docs',
          paragraph('Everything else is in the ', { type: 'a', url: '/api/docs', children: [{ text: 'API reference' }] }, '.'),
        ),
        {
          id: 'demo-after-own',
          type: 'choice input',
          items: [
            choice('demo-own-menu', 'Back to the menu', 'demo-edge-own-menu'),
            choice('demo-own-bye', "I'm done", 'demo-edge-own-bye'),
          ],
        },
      ],
    },
    {
      id: 'demo-group-bye',
      title: 'Bye',
      graphCoordinates: { x: 1500, y: 100 },
      blocks: [text('demo-bye', paragraph('Bye {{Name}}, have a great day! 👋'))],
    },
  ],
  edges: [
    edge('demo-edge-start', { eventId: 'demo-start' }, 'demo-group-welcome'),
    edge('demo-edge-menu', { blockId: 'demo-name' }, 'demo-group-menu'),
    edge('demo-edge-features', { blockId: 'demo-menu', itemId: 'demo-menu-features' }, 'demo-group-features'),
    edge('demo-edge-own', { blockId: 'demo-menu', itemId: 'demo-menu-own' }, 'demo-group-own'),
    edge('demo-edge-bye', { blockId: 'demo-menu', itemId: 'demo-menu-bye' }, 'demo-group-bye'),
    edge('demo-edge-rated', { blockId: 'demo-rating' }, 'demo-group-rated'),
    edge('demo-edge-rated-menu', { blockId: 'demo-after-rating', itemId: 'demo-rated-menu' }, 'demo-group-menu'),
    edge('demo-edge-rated-bye', { blockId: 'demo-after-rating', itemId: 'demo-rated-bye' }, 'demo-group-bye'),
    edge('demo-edge-own-menu', { blockId: 'demo-after-own', itemId: 'demo-own-menu' }, 'demo-group-menu'),
    edge('demo-edge-own-bye', { blockId: 'demo-after-own', itemId: 'demo-own-bye' }, 'demo-group-bye'),
  ],
  theme: {
    general: {
      background: { type: 'Color', content: '#FFFFFF' },
      progressBar: { isEnabled: true, color: '#4F46E5', backgroundColor: '#E0E7FF', placement: 'Top', thickness: 4 },
    },
    chat: {
      hostAvatar: { isEnabled: true, url: `data:image/svg+xml,${encodeURIComponent(avatarSvg)}` },
      guestAvatar: { isEnabled: false },
      hostBubbles: { backgroundColor: '#EEF2FF', color: '#1E1B4B' },
      guestBubbles: { backgroundColor: '#4F46E5', color: '#FFFFFF' },
      buttons: { backgroundColor: '#4F46E5', color: '#FFFFFF' },
      inputs: { backgroundColor: '#FFFFFF', color: '#1E1B4B', placeholderColor: '#9CA3AF' },
      roundness: 'large',
    },
  },
  settings: {
    general: { isBrandingEnabled: false },
    typingEmulation: { enabled: true, speed: 400, maxDelay: 1 },
    metadata: { title: 'botflow demo', description: 'Chat with the demo typebot of botflow.' },
  },
}
