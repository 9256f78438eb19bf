/**
 * The QuickJS WebAssembly instances behind the sandbox. Deeply nested code can overflow the
 * host's native stack inside the WebAssembly call (QuickJS' own stack check does not cover the
 * parser or `JSON.stringify`); such an instance is left in an unknown state, so it is dropped
 * and replaced by a spare loaded in advance.
 */

import type { QuickJSWASMModule } from 'quickjs-emscripten'
import { newQuickJSWASMModule } from 'quickjs-emscripten'

export type Engine = { module: QuickJSWASMModule; isBroken: boolean }

export type EnginePool = {
  /** undefined while no healthy instance is loaded (right after two failures in a row). */
  acquire(): Engine | undefined
  markBroken(engine: Engine): void
}

export async function createEnginePool(): Promise<EnginePool> {
  const [first, second] = await Promise.all([newQuickJSWASMModule(), newQuickJSWASMModule()])
  let current: Engine = { module: first, isBroken: false }
  let spare: Engine | undefined = { module: second, isBroken: false }
  let isLoadingSpare = false

  const loadSpare = () => {
    if (spare || isLoadingSpare) return
    isLoadingSpare = true
    newQuickJSWASMModule().then(
      (module) => {
        isLoadingSpare = false
        const engine = { module, isBroken: false }
        if (current.isBroken) current = engine
        else spare = engine
        loadSpare()
      },
      () => {
        isLoadingSpare = false
      },
    )
  }

  return {
    acquire: () => (current.isBroken ? undefined : current),
    markBroken(engine) {
      engine.isBroken = true
      if (engine !== current) return
      if (spare) {
        current = spare
        spare = undefined
      }
      loadSpare()
    },
  }
}
