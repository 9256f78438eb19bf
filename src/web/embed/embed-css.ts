/** The bubble's styles, inside its shadow root: nothing leaks to or from the host page. */
export const embedCss = `
:host { all: initial; }
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border: 0; border-radius: 50%; padding: 0; cursor: pointer;
  background: var(--bf-embed-button-bg); color: var(--bf-embed-icon);
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.22); display: grid; place-items: center;
  transition: transform 0.15s ease;
}
.launcher:hover { transform: scale(1.06); }
.launcher:focus-visible { outline: 3px solid var(--bf-embed-button-bg); outline-offset: 3px; }
.launcher svg { width: 28px; height: 28px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.launcher .icon-chat { fill: currentColor; stroke: none; }
.launcher .icon-close, .launcher.open .icon-chat { display: none; }
.launcher.open .icon-close { display: block; }
.panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483000;
  width: 400px; height: min(680px, calc(100vh - 120px));
  display: flex; flex-direction: column; overflow: hidden;
  border-radius: 16px; background: #fff; box-shadow: 0 12px 40px rgba(0, 0, 0, 0.25);
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.panel[hidden] { display: none; }
.header {
  display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 8px 8px 8px 16px; background: var(--bf-embed-button-bg); color: var(--bf-embed-icon); font-weight: 600;
}
.header span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.close {
  width: 32px; height: 32px; border: 0; border-radius: 8px; background: transparent; color: inherit;
  font-size: 24px; line-height: 1; cursor: pointer;
}
.close:focus-visible { outline: 2px solid currentColor; }
iframe { flex: 1; width: 100%; border: 0; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .launcher.open { display: none; }
}
`
