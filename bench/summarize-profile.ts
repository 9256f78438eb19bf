/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that self time needs; times in µs. */
export type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  /** On Linux, CLOCK_MONOTONIC like `process.hrtime`, so another process can tell which samples fell in a window. */
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

export type ProfileEntry = { name: string; selfMs: number; share: number }

export type ProfileSummary = {
  /** Sampled time when the process was not idle. */
  busyMs: number
  idleShare: number
  topFunctions: ProfileEntry[]
  /** Self time by area: a botflow folder, an npm package, a part of Node, or V8's own work (GC). */
  areas: ProfileEntry[]
}

/** Which samples count, in µs of `process.hrtime`'s clock: the load, not the start-up or the shutdown. */
export type ProfileWindow = { fromUs: number; toUs: number }

/**
 * Self time per function and per area of code. A sample's time is the gap to the next sample,
 * as Chrome's profiler counts it; shares are of busy (non-idle) time.
 */
export function summarizeProfile(profile: CpuProfile, projectRoot: string, window?: ProfileWindow, topCount = 15): ProfileSummary {
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]))
  const byFunction = new Map<string, number>()
  const byArea = new Map<string, number>()
  let busyUs = 0
  let idleUs = 0
  let sampledAtUs = profile.startTime
  for (let index = 0; index < profile.samples.length; index++) {
    sampledAtUs += profile.timeDeltas[index] ?? 0
    const node = nodesById.get(profile.samples[index]!)
    const elapsedUs = profile.timeDeltas[index + 1] ?? 0
    if (!node || elapsedUs <= 0) continue
    if (window && (sampledAtUs < window.fromUs || sampledAtUs >= window.toUs)) continue
    const { functionName, url, lineNumber } = node.callFrame
    if (functionName === '(idle)') {
      idleUs += elapsedUs
      continue
    }
    busyUs += elapsedUs
    const location = toShortLocation(url, projectRoot)
    const name = location ? `${functionName || '(anonymous)'} ${location}:${lineNumber + 1}` : functionName || '(anonymous)'
    byFunction.set(name, (byFunction.get(name) ?? 0) + elapsedUs)
    const area = toArea(functionName, url, projectRoot)
    byArea.set(area, (byArea.get(area) ?? 0) + elapsedUs)
  }
  const toEntries = (totals: Map<string, number>, count: number) =>
    [...totals]
      .sort((left, right) => right[1] - left[1])
      .slice(0, count)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
  return {
    busyMs: busyUs / 1000,
    idleShare: busyUs + idleUs > 0 ? idleUs / (busyUs + idleUs) : 0,
    topFunctions: toEntries(byFunction, topCount),
    areas: toEntries(byArea, 12),
  }
}

function toShortLocation(url: string, projectRoot: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url
  const packagePath = /node_modules\/(.*)$/.exec(path)
  if (packagePath) return packagePath[1]!
  const root = projectRoot.endsWith('/') ? projectRoot : `${projectRoot}/`
  return path.startsWith(root) ? path.slice(root.length) : path
}

/** `src/<folder>`, an npm package name, `node:<module>`, or V8's bracketed names such as (garbage collector). */
function toArea(functionName: string, url: string, projectRoot: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'native code (Node bindings, better-sqlite3, pg)'
  if (url.startsWith('node:')) {
    const parts = url.slice('node:'.length).split('/')
    return `node:${parts[0] === 'internal' ? (parts[1] ?? 'internal').replace(/\.js$/, '') : parts[0]}`
  }
  const location = toShortLocation(url, projectRoot)
  const packagePath = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (packagePath) return packagePath[1]!
  const folders = location.split('/')
  if ((folders[0] === 'src' || folders[0] === 'dist') && folders.length > 2) return `${folders[0]}/${folders[1]}`
  return folders.length > 1 ? `${folders[0]}/${folders[1]}` : location
}
