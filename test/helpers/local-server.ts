/**
 * The scaffold every fake HTTP service in the tests shares: a server on 127.0.0.1 at a free port,
 * and the request body read whole. What each fake answers stays in its own file.
 */
import { createServer, type IncomingMessage, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'

export type LocalServer = {
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** Stops listening and drops open connections (keep-alive sockets, streams still held). */
  close(): Promise<void>
}

export async function listenLocally(handle: RequestListener): Promise<LocalServer> {
  const server = createServer(handle)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}
