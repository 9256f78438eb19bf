/**
 * The engine's public API, called by the chat shell: pure generators that yield effect requests
 * and return a `Turn` (new state, what to show, rows to persist).
 */
export { type ContinueOptions, continueSession } from './continue-session.js'
export { type StartParams, startSession } from './start-session.js'
export { finishSessionStream, type PreparedSessionStream, prepareSessionStream } from './stream-session.js'
