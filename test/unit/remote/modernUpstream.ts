// A remote MCP server on SDK v2's createMcpHandler, as an upstream route: `legacy: 'reject'` is a
// server that speaks only 2026-07-28 (which VS Code cannot use yet), `'stateless'` one that also
// answers the 2025 handshake.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import type { RawHandler } from './upstream';

export function modernMcpRoute(legacy: 'reject' | 'stateless'): RawHandler {
  const handler = createMcpHandler(
    () => {
      const server = new McpServer({ name: `modern-${legacy}`, version: '2.0.0' });
      server.registerTool('ping_remote', { description: 'Answers pong' }, () => ({
        content: [{ type: 'text', text: 'pong' }],
      }));
      return server;
    },
    { legacy },
  );
  return (req: IncomingMessage, res: ServerResponse) =>
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      const body = chunks.length && req.method === 'POST' ? Buffer.concat(chunks) : undefined;
      const answer = await handler.fetch(
        new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }),
      );
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      if (answer.body) Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>).pipe(res);
      else res.end();
    })().catch(() => res.destroy());
}
