/** A small v6.1 flow: start -> one group with a text bubble and a text input (a session waits there). */
export const helloTypebot = {
  version: '6.1',
  name: 'Hello',
  events: [{ id: 'start', type: 'start', graphCoordinates: { x: 0, y: 0 }, outgoingEdgeId: 'edge-1' }],
  groups: [
    {
      id: 'group-1',
      title: 'Group #1',
      graphCoordinates: { x: 200, y: 0 },
      blocks: [
        { id: 'bubble-1', type: 'text', content: { richText: [{ type: 'p', children: [{ text: 'Hello!' }] }] } },
        { id: 'input-1', type: 'text input', options: { variableId: 'var-1' } },
      ],
    },
  ],
  edges: [{ id: 'edge-1', from: { eventId: 'start' }, to: { groupId: 'group-1' } }],
  variables: [{ id: 'var-1', name: 'Name' }],
  theme: {},
  settings: {},
}
