import { describe, expect, it } from 'vitest'
import { type CpuProfile, summarizeProfile } from './summarize-profile.js'

const root = '/app'

/** A profile started at 5 s whose samples are [nodeId, ms until the next sample] pairs, the first 1 ms after the start. */
function buildProfile(frames: Record<number, [string, string]>, samples: [number, number][]): CpuProfile {
  return {
    nodes: Object.entries(frames).map(([id, [functionName, url]]) => ({ id: Number(id), callFrame: { functionName, url, lineNumber: 9 } })),
    startTime: 5_000_000,
    samples: samples.map(([id]) => id),
    timeDeltas: [1000, ...samples.map(([, ms]) => ms * 1000)],
  }
}

const frames: Record<number, [string, string]> = {
  1: ['(idle)', ''],
  2: ['walkFlow', 'file:///app/dist/engine/walk-flow.js'],
  3: ['executeQuery', 'file:///app/node_modules/kysely/dist/esm/dialect/sqlite/sqlite-driver.js'],
  4: ['(garbage collector)', ''],
  5: ['writev', ''],
  6: ['onParse', 'node:internal/http/server'],
  7: ['parse', 'file:///app/node_modules/@fastify/ajv-compiler/index.js'],
}

describe('summarizeProfile', () => {
  it.each([
    {
      name: 'the file of a botflow function, from the project root',
      node: 2,
      function: 'walkFlow dist/engine/walk-flow.js:10',
      area: 'dist/engine',
    },
    {
      name: 'an npm package by its name',
      node: 3,
      function: 'executeQuery kysely/dist/esm/dialect/sqlite/sqlite-driver.js:10',
      area: 'kysely',
    },
    {
      name: 'a scoped npm package by its full name',
      node: 7,
      function: 'parse @fastify/ajv-compiler/index.js:10',
      area: '@fastify/ajv-compiler',
    },
    { name: "V8's own work under its own name", node: 4, function: '(garbage collector)', area: '(garbage collector)' },
    { name: 'a native binding', node: 5, function: 'writev', area: 'native code (Node bindings, better-sqlite3, pg)' },
    { name: 'a part of Node by its module', node: 6, function: 'onParse node:internal/http/server:10', area: 'node:http' },
  ])('names $name', ({ node, function: functionName, area }) => {
    const summary = summarizeProfile(
      buildProfile(frames, [
        [node, 4],
        [1, 0],
      ]),
      root,
    )
    expect(summary.topFunctions).toEqual([{ name: functionName, selfMs: 4, share: 1 }])
    expect(summary.areas).toEqual([{ name: area, selfMs: 4, share: 1 }])
  })

  it('ranks by self time and leaves idle time out of the shares', () => {
    const summary = summarizeProfile(
      buildProfile(frames, [
        [2, 1],
        [3, 3],
        [1, 4],
        [2, 1],
        [3, 0],
      ]),
      root,
    )
    expect(summary.busyMs).toBe(5)
    expect(summary.idleShare).toBeCloseTo(4 / 9)
    expect(summary.topFunctions.map((entry) => [entry.name.split(' ')[0], entry.selfMs, entry.share])).toEqual([
      ['executeQuery', 3, 0.6],
      ['walkFlow', 2, 0.4],
    ])
  })

  it('counts only the samples inside the window, leaving start-up out', () => {
    // Samples at 1, 11, 12 and 14 ms after the start.
    const profile = buildProfile(frames, [
      [6, 10],
      [2, 1],
      [3, 2],
      [1, 0],
    ])
    const summary = summarizeProfile(profile, root, { fromUs: 5_005_000, toUs: 5_012_500 })
    expect(summary.topFunctions.map((entry) => [entry.name.split(' ')[0], entry.selfMs])).toEqual([
      ['executeQuery', 2],
      ['walkFlow', 1],
    ])
  })
})
