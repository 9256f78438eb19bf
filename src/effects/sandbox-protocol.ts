/**
 * Messages between the sandbox pool (main thread) and its workers. Values cross as JSON text:
 * a string is copied in one piece, and its size is known before it crosses.
 */
import type { HttpRequestSpec, HttpResponseResult } from '../engine/types.js'

/** What each worker gets at start. */
export type SandboxWorkerData = {
  /** Ceiling of the QuickJS WebAssembly memory. */
  memoryBytes: number
  /** Largest JSON text a result, or all `setVariable` values of one script together, may take. */
  maxTransferChars: number
}

/** Globals as JSON text (values that are not `undefined`) plus the names bound to `undefined`. */
export type GlobalsText = { json: string; undefinedNames: string[] }

export type WorkerJob =
  | { type: 'runCode'; code: string; globals: GlobalsText; timeoutMs: number }
  | { type: 'runServerScript'; content: string; globals: GlobalsText; timeoutMs: number }

export type ToWorker = (WorkerJob & { jobId: number }) | { type: 'fetched'; jobId: number; fetchId: number; response: HttpResponseResult }

/** `timeout` when the worker stopped the code at its deadline. */
export type JobOutcome = 'ok' | 'error' | 'timeout'

export type WorkerResult =
  | { ok: true; valueJson: string | undefined; variablesToSet: SetVariableText[] }
  | { ok: false; error: string; outcome: Exclude<JobOutcome, 'ok'>; variablesToSet: SetVariableText[] }

export type SetVariableText = { name: string; valueJson: string | undefined }

export type FromWorker =
  | { type: 'ready' }
  /** `isRetiring`: the worker's memory reached its ceiling (it never shrinks); it exits after this. */
  | { type: 'done'; jobId: number; result: WorkerResult; isRetiring: boolean }
  | { type: 'fetch'; jobId: number; fetchId: number; request: HttpRequestSpec }
  /** QuickJS failed in a way that leaves it in an unknown state: the worker exits after this. */
  | { type: 'broken'; jobId: number; error: string }
