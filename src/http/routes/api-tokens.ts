import type { AppDeps } from '../app.js'
import type { TypedApp } from '../typed-app.js'

export function registerApiTokenRoutes(app: TypedApp, deps: AppDeps) {
  void app
  void deps
}
