// Preloaded into the server of the memory phase only (node --expose-gc --import this file):
// SIGUSR2 runs a full garbage collection, so that the RSS read next is what the process keeps,
// not garbage that V8 has not collected yet (Node runs no idle-time collection).
process.on('SIGUSR2', () => {
  globalThis.gc?.()
})
