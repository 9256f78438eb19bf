import { describe, expect, it } from 'vitest'
import { toThemeStyle } from './theme-style.js'

// The page uses the browser's own colour parser; this stands in for it.
const isColor = (value: string) => /^(#[0-9a-f]{3,8}|rgb\([\d, ]+\)|[a-z]+)$/i.test(value)
const base = 'https://bots.example.com/demo'

describe('typebot theme to page style', () => {
  it('takes bubble, button and input colours, font, roundness and progress bar', () => {
    const style = toThemeStyle(
      {
        general: {
          font: 'Open Sans',
          background: { type: 'Color', content: '#F4F4F5' },
          progressBar: { isEnabled: true, color: '#0042DA', placement: 'Bottom', thickness: 6 },
        },
        chat: {
          hostBubbles: { backgroundColor: '#F7F8FF', color: '#303235' },
          guestBubbles: { backgroundColor: '#FF8E21', color: '#FFFFFF' },
          buttons: { backgroundColor: '#0042DA' },
          inputs: { placeholderColor: '#9095A0' },
          roundness: 'large',
          buttonsInput: { layout: 'vertical' },
        },
      },
      undefined,
      isColor,
      base,
    )
    expect(style.variables).toEqual({
      '--bf-host-bubble-bg': '#F7F8FF',
      '--bf-host-bubble-color': '#303235',
      '--bf-guest-bubble-bg': '#FF8E21',
      '--bf-guest-bubble-color': '#FFFFFF',
      '--bf-button-bg': '#0042DA',
      '--bf-input-placeholder': '#9095A0',
      '--bf-background-color': '#F4F4F5',
      '--bf-font': '"Open Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      '--bf-radius': '18px',
      '--bf-progress-color': '#0042DA',
      '--bf-progress-thickness': '6px',
    })
    expect(style.progressBar).toEqual({ isEnabled: true, placement: 'Bottom' })
    expect(style.buttonsLayout).toBe('vertical')
  })

  it('uses Typebot defaults for an empty theme: host avatar on, guest avatar off, no progress bar', () => {
    const style = toThemeStyle({}, undefined, isColor, base)
    expect(style).toEqual({
      variables: {},
      hostAvatar: { isEnabled: true, url: undefined },
      guestAvatar: { isEnabled: false, url: undefined },
      progressBar: { isEnabled: false, placement: 'Top' },
      buttonsLayout: 'wrap',
    })
  })

  it('drops values that could escape their CSS property', () => {
    const style = toThemeStyle(
      {
        general: { font: 'x"; } body { display: none', background: { type: 'Image', content: 'javascript:alert(1)' } },
        chat: { hostBubbles: { backgroundColor: 'red; background: url(https://evil.example)' } },
      },
      undefined,
      isColor,
      base,
    )
    expect(style.variables).toEqual({})
  })

  it('quotes a background image URL and lets the dynamic theme override avatars and background', () => {
    const style = toThemeStyle(
      {
        general: { background: { type: 'Image', content: '{{Background}}' } },
        chat: { hostAvatar: { url: '{{Avatar}}' }, guestAvatar: { isEnabled: true, url: '{{Avatar}}' } },
      },
      { hostAvatarUrl: 'https://img.example.com/a.png', guestAvatarUrl: '😅', backgroundUrl: 'https://img.example.com/b g".png' },
      isColor,
      base,
    )
    expect(style.variables['--bf-background-image']).toBe('url("https://img.example.com/b%20g%22.png")')
    expect(style.hostAvatar).toEqual({ isEnabled: true, url: 'https://img.example.com/a.png' })
    expect(style.guestAvatar).toEqual({ isEnabled: true, url: '😅' })
  })
})
