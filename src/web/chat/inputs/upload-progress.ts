import { element } from '../chat-view.js'

export type UploadProgress = {
  /** The bar, hidden until an upload starts. */
  element: HTMLDivElement
  /** Shows the bar at `fraction` (0 to 1) of the upload. */
  show(fraction: number): void
  hide(): void
}

/** The one progress bar of the file input and of a text input's attachments. */
export function createUploadProgress(): UploadProgress {
  const bar = element('div', 'bf-file-progress')
  bar.setAttribute('role', 'progressbar')
  bar.setAttribute('aria-valuemin', '0')
  bar.setAttribute('aria-valuemax', '100')
  bar.hidden = true
  const fill = element('div', 'bf-file-progress-fill')
  bar.append(fill)
  return {
    element: bar,
    show(fraction) {
      const percent = Math.round(Math.max(0, Math.min(1, fraction)) * 100)
      fill.style.width = `${percent}%`
      bar.setAttribute('aria-valuenow', String(percent))
      bar.hidden = false
    },
    hide() {
      bar.hidden = true
    },
  }
}
