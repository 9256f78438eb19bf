/**
 * `GET .../results/export`: every result of a typebot as CSV (Typebot's columns) or NDJSON (one
 * result per line, as GET results shows it). Results are read in pages of 1,000 with their
 * answers in one query per page, and each page becomes one chunk: the consumer's pace (the
 * socket) decides when the next page is read, so memory does not grow with the number of results.
 */
import { setImmediate } from 'node:timers/promises'
import { isRecord } from '../json-record.js'
import { parseTypebot } from '../schemas/typebot.js'
import type { Store, TypebotRecord } from '../storage/store.js'
import { sanitizeCell, toCsvLine } from './csv.js'
import { buildResultColumns, type ResultColumns, submittedAtColumnId } from './result-header.js'
import { toResultView } from './result-view.js'
import type { TimeRange } from './time-filter.js'

export type ExportFormat = 'csv' | 'ndjson'

export type ExportOptions = { format: ExportFormat; range: TimeRange; includeDeletedBlocks: boolean }

const pageSize = 1000

export async function* exportResults(store: Store, typebot: TypebotRecord, options: ExportOptions): AsyncGenerator<string> {
  const range = { createdFrom: options.range.from, createdTo: options.range.to }
  const columns = options.format === 'csv' ? await columnsOf(store, typebot, options) : undefined
  if (columns) yield toCsvLine(columns.columns.map((column) => sanitizeCell(column.label)))

  let after: { createdAt: string; id: string } | undefined
  for (;;) {
    const page = await store.listResults(typebot.id, { limit: pageSize, after, ...range })
    const last = page.at(-1)
    if (!last) return
    const answers = await store.resultExport.listAnswersOfResults(page.map((result) => result.id))
    const answersOf = new Map<string, typeof answers>()
    for (const answer of answers) {
      const list = answersOf.get(answer.resultId)
      if (list) list.push(answer)
      else answersOf.set(answer.resultId, [answer])
    }
    let chunk = ''
    for (const result of page) {
      const resultAnswers = answersOf.get(result.id) ?? []
      chunk += columns ? toCsvLine(csvCellsOf(columns, result, resultAnswers)) : `${JSON.stringify(toResultView(result, resultAnswers))}\n`
    }
    yield chunk
    if (page.length < pageSize) return
    // better-sqlite3 answers synchronously: without this a long export would hold the event
    // loop whenever the socket keeps up, and every other request would wait for it.
    await setImmediate()
    after = { createdAt: last.createdAt, id: last.id }
  }
}

async function columnsOf(store: Store, typebot: TypebotRecord, options: ExportOptions): Promise<ResultColumns> {
  // Columns come from the draft, as in Typebot; a draft stored under older rules still exports.
  const parsed = parseTypebot({ ...typebot.draft, id: typebot.id })
  const document = parsed.success ? parsed.typebot : { groups: [], variables: [], resultsTablePreferences: null }
  const deletedBlockIds = options.includeDeletedBlocks
    ? await store.resultExport.listAnswerBlockIds(typebot.id, { createdFrom: options.range.from, createdTo: options.range.to })
    : []
  return buildResultColumns(document, { deletedBlockIds })
}

type ExportedResult = Parameters<typeof toResultView>[0]
type ExportedAnswer = Parameters<typeof toResultView>[1][number]

/** An answer fills its input's column; a variable fills its column unless an answer did. */
function csvCellsOf(columns: ResultColumns, result: ExportedResult, answers: readonly ExportedAnswer[]): string[] {
  const cells = new Map<string, string>([[submittedAtColumnId, result.createdAt]])
  for (const answer of answers) {
    const variableId = columns.variableOfBlock.get(answer.blockId)
    const column = variableId
      ? columns.columns.find((candidate) => candidate.blockIds && candidate.variableIds?.includes(variableId))
      : columns.columns.find((candidate) => candidate.blockIds?.includes(answer.blockId))
    if (column) cells.set(column.id, answer.content)
  }
  for (const variable of result.variables) {
    if (!isRecord(variable)) continue
    const { id, value } = variable
    const text = Array.isArray(value) ? value.filter((item) => typeof item === 'string').join(', ') : value
    if (typeof id !== 'string' || typeof text !== 'string') continue
    const column = columns.columns.find((candidate) => candidate.variableIds?.includes(id))
    if (!column || cells.has(column.id)) continue
    cells.set(column.id, text)
  }
  return columns.columns.map((column) => sanitizeCell(cells.get(column.id) ?? ''))
}

const filterSuffixes: Partial<Record<string, string>> = {
  today: 'today',
  last7Days: 'last-7-days',
  last30Days: 'last-30-days',
  monthToDate: 'month-to-date',
  lastMonth: 'last-month',
  yearToDate: 'year-to-date',
}

/** `typebot-<publicId or id>[-<period>]-<date>.csv`, as Typebot names its exports. */
export function exportFileName(typebot: Pick<TypebotRecord, 'id' | 'publicId'>, timeFilter: string, format: ExportFormat, now: number) {
  const suffix = filterSuffixes[timeFilter]
  const date = new Date(now).toISOString().slice(0, 10)
  return `typebot-${typebot.publicId ?? typebot.id}${suffix ? `-${suffix}` : ''}-${date}.${format}`
}
