/** The server's own sender (`SMTP_*` of config.ts). */
export type SmtpEnvironment = { host: string; port: number; secure: boolean; username?: string; password?: string; from: string }

/** An SMTP server to send through, and the sender address it sends as. */
export type SmtpServer = {
  host: string
  port: number
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean
  auth?: { user: string; pass: string }
  from: { email: string; name?: string }
  /** The operator's own server (environment): trusted, not checked by the SSRF guard. */
  isTrusted: boolean
}

export type SmtpServerLookup = { ok: true; server: SmtpServer } | { ok: false; error: string }

/** The data of `smtp` credentials (Typebot's shape). */
export type SmtpCredentialsData = {
  host: string
  port: number
  username?: string
  password?: string
  isTlsEnabled?: boolean
  from: { email: string; name?: string }
}

/** Finds a workspace's smtp credentials for a block (the credentials store's resolution rule). */
export type FindSmtpCredentials = (
  workspaceId: string,
  credentialsId: string | undefined,
) => Promise<{ ok: true; data: SmtpCredentialsData } | { ok: false; error: string }>

/**
 * Which server sends a block's e-mail: absent or "default" credentials mean the server's own
 * sender (`SMTP_*`), else — or when the environment has none — the workspace's credentials.
 */
export async function findSmtpServer(
  sender: { workspaceId: string; credentialsId?: string },
  deps: { environment?: SmtpEnvironment; findCredentials?: FindSmtpCredentials },
): Promise<SmtpServerLookup> {
  const usesDefault = !sender.credentialsId || sender.credentialsId === 'default'
  if (usesDefault && deps.environment) return { ok: true, server: fromEnvironment(deps.environment) }
  if (!deps.findCredentials) return { ok: false, error: notConfigured }
  const found = await deps.findCredentials(sender.workspaceId, usesDefault ? undefined : sender.credentialsId)
  if (!found.ok) return { ok: false, error: usesDefault ? `${notConfigured} (${found.error})` : found.error }
  const { data } = found
  return {
    ok: true,
    server: {
      host: data.host,
      port: data.port,
      secure: data.isTlsEnabled === true,
      ...(data.username ? { auth: { user: data.username, pass: data.password ?? '' } } : {}),
      from: data.from,
      isTrusted: false,
    },
  }
}

const notConfigured = 'SMTP is not configured: set SMTP_HOST and SMTP_FROM, or add smtp credentials to the workspace'

function fromEnvironment(environment: SmtpEnvironment): SmtpServer {
  return {
    host: environment.host,
    port: environment.port,
    secure: environment.secure,
    ...(environment.username ? { auth: { user: environment.username, pass: environment.password ?? '' } } : {}),
    from: parseAddress(environment.from),
    isTrusted: true,
  }
}

/** `"Bot" <bot@example.com>`, `Bot <bot@example.com>` or `bot@example.com`. */
export function parseAddress(text: string): { email: string; name?: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(text)
  if (!match) return { email: text.trim() }
  const name = match[1]?.trim()
  return { email: (match[2] ?? '').trim(), ...(name ? { name } : {}) }
}
