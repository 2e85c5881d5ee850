// A raw JSON-RPC MCP client, no SDK: newline-delimited messages over a stdio pair, or one POST per
// message over HTTP. It speaks either era exactly as the specification writes it, so the bridge's
// answers are checked against the wire format rather than against the SDK's own client.
import type { Readable, Writable } from 'node:stream';

export type Message = Record<string, unknown> & { id?: number | string; method?: string };

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';

/** The 2026-07-28 per-request envelope. */
export function envelope(capabilities: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'io.modelcontextprotocol/protocolVersion': MODERN,
    'io.modelcontextprotocol/clientInfo': { name: 'raw-client', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': capabilities,
  };
}

export function initialize(capabilities: Record<string, unknown> = {}, id = 1): Message {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: LEGACY, capabilities, clientInfo: { name: 'raw-client', version: '1.0.0' } },
  };
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (a child's stdio, or an in-process pair).
 * Server-initiated requests go to `onRequest`, whose result is sent back.
 */
export class RawStdio {
  private buffer = '';
  private nextId = 100;
  private readonly waiting = new Map<number | string, (message: Message) => void>();
  onRequest: (message: Message) => unknown = () => ({});

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      for (let i = this.buffer.indexOf('\n'); i >= 0; i = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, i).trim();
        this.buffer = this.buffer.slice(i + 1);
        if (line) this.receive(JSON.parse(line) as Message);
      }
    });
  }

  private receive(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.send({ jsonrpc: '2.0', id: message.id, result: this.onRequest(message) });
      return;
    }
    if (message.id === undefined) return;
    this.waiting.get(message.id)?.(message);
    this.waiting.delete(message.id);
  }

  send(message: Message): void {
    this.input.write(`${JSON.stringify(message)}\n`);
  }

  /** Sends a request and resolves with its response (result or error). */
  request(method: string, params: Record<string, unknown> = {}, id: number = this.nextId++): Promise<Message> {
    const answered = new Promise<Message>((resolve) => this.waiting.set(id, resolve));
    this.send({ jsonrpc: '2.0', id, method, params });
    return answered;
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  /** The JSON-RPC response: the JSON body, or the last message of an SSE body. */
  readonly message: Message | undefined;
  readonly text: string;
}

/** One JSON-RPC message POSTed as a 2026-07-28 client (with its headers) or as a 2025 one. */
export async function postMcp(
  url: string,
  message: Message,
  headers: Record<string, string>,
  era: 'modern' | 'legacy',
): Promise<HttpAnswer> {
  const params = (message.params ?? {}) as Record<string, unknown>;
  const name = typeof params.name === 'string' ? params.name : undefined;
  const eraHeaders: Record<string, string> =
    era === 'modern'
      ? { 'MCP-Protocol-Version': MODERN, 'Mcp-Method': String(message.method), ...(name ? { 'Mcp-Name': name } : {}) }
      : message.method === 'initialize'
        ? {}
        : { 'MCP-Protocol-Version': LEGACY };
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...eraHeaders,
      ...headers,
    },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: Message | undefined;
  try {
    if (contentType.includes('text/event-stream')) {
      const data = text
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim());
      parsed = data.length ? (JSON.parse(data[data.length - 1]!) as Message) : undefined;
    } else parsed = JSON.parse(text) as Message;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType, message: parsed, text };
}
