// modern_call_ms: the same tools/call over the bridge's HTTP mode as a 2026-07-28 client sends it
// (MCP-Protocol-Version/Mcp-Method/Mcp-Name headers, the _meta envelope, no session) and as a 2025
// client on the stateless endpoint sends it, alternating, so both see the same load.
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Json } from './rpc';

const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';

export interface EraCalls {
  readonly modern: number[];
  readonly legacy: number[];
}

export async function measureEraCalls(options: {
  readonly bundle: string;
  readonly env: NodeJS.ProcessEnv;
  readonly authorization: string;
  readonly tool: string;
  readonly args: (i: number) => Json;
  readonly warmup: number;
  readonly samples: number;
}): Promise<EraCalls> {
  const child = spawn(process.execPath, [options.bundle, '--transport', 'streamable-http', '--port', '0'], {
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const agent = new Agent({ keepAlive: true });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (\S+)/.exec(stderr);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`HTTP bridge exited (${code}): ${stderr}`)));
    });
    let id = 0;
    const call = (era: 'modern' | 'legacy', args: Json): Promise<number> => {
      const params: Json = { name: options.tool, arguments: args };
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: options.authorization,
      };
      if (era === 'modern') {
        params._meta = {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'amb-bench', version: '1.0.0' },
          'io.modelcontextprotocol/clientCapabilities': {},
        };
        Object.assign(headers, {
          'MCP-Protocol-Version': MODERN,
          'Mcp-Method': 'tools/call',
          'Mcp-Name': options.tool,
        });
      } else headers['MCP-Protocol-Version'] = LEGACY;
      const body = JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params });
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'POST', agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200 || !text.includes('"result"') || text.includes('"isError":true'))
              return reject(new Error(`${era} tools/call: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            resolve(performance.now() - started);
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(body);
      });
    };
    for (let i = 0; i < options.warmup; i++) {
      await call('modern', options.args(i));
      await call('legacy', options.args(i));
    }
    const out: EraCalls = { modern: [], legacy: [] };
    for (let i = 0; i < options.samples; i++) {
      const args = options.args(i);
      // Alternate which goes first, so neither always follows the other's warm-up of the sandbox.
      if (i % 2 === 0) {
        out.modern.push(await call('modern', args));
        out.legacy.push(await call('legacy', args));
      } else {
        out.legacy.push(await call('legacy', args));
        out.modern.push(await call('modern', args));
      }
    }
    return out;
  } finally {
    agent.destroy();
    child.kill();
  }
}
