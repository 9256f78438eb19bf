import type { AppDeps } from '../app.js'
import type { TypedApp } from '../typed-app.js'

export function registerWorkspaceRoutes(app: TypedApp, deps: AppDeps) {
  void app
  void deps
}
