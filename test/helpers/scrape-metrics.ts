import { expect } from 'vitest'

/** Series of GET /api/metrics in the Prometheus text format: `name{labels}` -> value. */
export async function scrapeMetrics(serverUrl: string, token: string): Promise<Map<string, number>> {
  const response = await fetch(`${serverUrl}/api/metrics`, { headers: { authorization: `Bearer ${token}` } })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const series = new Map<string, number>()
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line)
    expect(match, `not a sample line: ${line}`).not.toBeNull()
    series.set(match?.[1] ?? '', Number(match?.[2]))
  }
  return series
}

/** How much a series grew between two scrapes (absent counts as 0). */
export function grewBy(before: Map<string, number>, after: Map<string, number>, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0)
}
