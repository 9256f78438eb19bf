// Preloaded into the server of the memory phase only (node --expose-gc --import this file):
// SIGUSR2 runs a full garbage collection, so that the RSS read next is what the process keeps,
// not garbage that V8 has not collected yet (Node runs no idle-time collection). The heap in use
// after it goes to BENCH_MEMORY_REPORT, so the bench can tell live objects from other memory.
import { writeFileSync } from 'node:fs'

process.on('SIGUSR2', () => {
  globalThis.gc?.()
  const reportFile = process.env.BENCH_MEMORY_REPORT
  if (reportFile) writeFileSync(reportFile, JSON.stringify(process.memoryUsage()))
})
