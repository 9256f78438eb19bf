import { readFileSync } from 'node:fs'

export type ProcessMemory = { rssBytes: number; peakRssBytes: number }

/** VmRSS and VmHWM (peak RSS) of a process from /proc; undefined where there is no /proc (not Linux). */
export function readProcessMemory(pid: number): ProcessMemory | undefined {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return undefined
  }
  const rss = readKilobytes(status, 'VmRSS')
  const peak = readKilobytes(status, 'VmHWM')
  return rss === undefined || peak === undefined ? undefined : { rssBytes: rss * 1024, peakRssBytes: peak * 1024 }
}

function readKilobytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match ? Number(match[1]) : undefined
}

/** Samples a process's RSS while a load runs: VmHWM only ever grows, so a per-load peak needs sampling. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number | undefined } {
  let peak: number | undefined
  const sample = () => {
    const rss = readProcessMemory(pid)?.rssBytes
    if (rss !== undefined) peak = Math.max(peak ?? 0, rss)
  }
  sample()
  const timer = setInterval(sample, intervalMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}
