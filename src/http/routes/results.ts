import type { AppDeps } from '../app.js'
import type { TypedApp } from '../typed-app.js'

export function registerResultRoutes(app: TypedApp, deps: AppDeps) {
  void app
  void deps
}
