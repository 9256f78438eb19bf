// The ceiling of the machine: a bare node:http server that reads the request body and answers a
// fixed 300-byte JSON. Plain JavaScript so that no TypeScript loader weighs on its start or memory.
// The benchmark runs it as a child process on PORT and HOST.
import { createServer } from 'node:http'

const body = Buffer.from(JSON.stringify({ sessionId: 'x'.repeat(24), messages: [{ id: 'm1', type: 'text', text: 'y'.repeat(211) }] }))

const server = createServer((request, response) => {
  request.on('data', () => undefined)
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length })
    response.end(body)
  })
})

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1')
process.once('SIGTERM', () => server.close(() => process.exit(0)))
