/**
 * The engine's public API, called by the chat shell: pure generators that yield effect requests
 * and return a `Turn` (new state, what to show, rows to persist).
 */
export { continueSession, type ContinueOptions } from './continue-session.js'
export { startSession, type StartParams } from './start-session.js'
