import { describe, expect, it } from 'vitest'
import { replaceSection } from './format-report.js'

describe('replaceSection', () => {
  it('replaces only what is between the markers, keeping the prose around them', () => {
    const markdown = '# Benchmarks\n\nIntro.\n\n<!-- bench:results:start -->\nold table\n<!-- bench:results:end -->\n\nHow to read it.\n'
    expect(replaceSection(markdown, 'results', 'Results', 'new table\n')).toBe(
      '# Benchmarks\n\nIntro.\n\n<!-- bench:results:start -->\nnew table\n<!-- bench:results:end -->\n\nHow to read it.\n',
    )
  })

  it('leaves the other sections alone', () => {
    const markdown =
      '<!-- bench:profile:start -->\nprofile\n<!-- bench:profile:end -->\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\n'
    expect(replaceSection(markdown, 'results', 'Results', 'new')).toContain(
      '<!-- bench:profile:start -->\nprofile\n<!-- bench:profile:end -->',
    )
  })

  it('appends the section under its heading when the file has no markers yet', () => {
    expect(replaceSection('# Benchmarks\n', 'profile', 'Where the time goes', 'top functions')).toBe(
      '# Benchmarks\n\n## Where the time goes\n\n<!-- bench:profile:start -->\ntop functions\n<!-- bench:profile:end -->\n',
    )
  })
})
