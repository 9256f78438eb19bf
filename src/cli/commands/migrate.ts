import { parseConfig } from '../../config.js'
import { migrateToLatest, openDatabase } from '../../storage/create-store.js'
import { type CliCommand, parseCommandArgs } from '../cli-command.js'

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Bring the database schema up to date',
  usage: `
Usage: botflow migrate

Runs the pending migrations on the database of DATABASE_URL and prints each one it applied.
The server also does this when it starts.
`,
  async run(args, io) {
    if (!parseCommandArgs(this, args, io, {})) return 0
    const config = parseConfig(io.env)
    const where = config.database.kind === 'sqlite' ? `SQLite database ${config.database.filename}` : 'PostgreSQL database'
    const db = openDatabase(config.database, { poolSize: 1 })
    try {
      const applied = await migrateToLatest(db, config.database.kind)
      for (const name of applied) io.stdout(`Applied migration ${name}\n`)
      io.stdout(applied.length > 0 ? `${where} is up to date (${applied.length} applied)\n` : `${where} was already up to date\n`)
    } finally {
      await db.destroy()
    }
    return 0
  },
}
