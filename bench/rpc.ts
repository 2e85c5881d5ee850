// A bare newline-delimited JSON-RPC client over a child's stdio. The benchmark uses it instead of
// the SDK Client so that client-side work (schema validation of every result) is not charged to the
// server, and so it can see the exact bytes and the child's PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export type Json = Record<string, unknown>;

export const PROTOCOL_VERSION = '2025-06-18';

/** Every child the benchmark started; `killAll` ends them by PID on exit or failure. */
const children = new Set<ChildProcess>();

export function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
}

export interface Rpc {
  readonly pid: number;
  /** performance.now() just before spawn. */
  readonly spawnedAt: number;
  request(method: string, params?: Json): Promise<{ result: Json; bytes: number; at: number }>;
  notify(method: string, params?: Json): void;
  stderr(): string;
  close(): Promise<void>;
}

export interface SpawnOptions {
  readonly bundle: string;
  readonly nodeFlags?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export function spawnServer(options: SpawnOptions): Rpc {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.bundle], {
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  if (child.pid === undefined) throw new Error(`could not spawn ${options.bundle}`);
  const pid = child.pid;

  let nextId = 1;
  let buffered = '';
  let stderr = '';
  const pending = new Map<
    number,
    { resolve: (v: { result: Json; bytes: number; at: number }) => void; reject: (e: Error) => void }
  >();
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    const at = performance.now();
    buffered += d.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as { id?: number; result?: Json; error?: { message: string } };
      const waiter = typeof message.id === 'number' ? pending.get(message.id) : undefined;
      if (!waiter) continue; // Notifications and server-initiated requests are not part of the benchmark.
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(`JSON-RPC error: ${message.error.message}`));
      // Bytes of the result as the server serialised it (compact), which is what a client receives.
      else
        waiter.resolve({
          result: message.result ?? {},
          bytes: Buffer.byteLength(JSON.stringify(message.result ?? {})),
          at,
        });
    }
  });
  child.once('exit', (code, signal) => {
    children.delete(child);
    failAll(new Error(`server exited (${code ?? signal}): ${stderr.slice(-2000)}`));
  });
  child.stdin!.on('error', () => undefined); // EPIPE after an early exit surfaces through 'exit'.

  const send = (message: Json) => child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

  return {
    pid,
    spawnedAt,
    request(method, params = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ id, method, params });
      });
    },
    notify(method, params = {}) {
      send({ method, params });
    },
    stderr: () => stderr,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end(); // stdio servers end when stdin closes.
      const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function initializeParams(): Json {
  return { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'amb-bench', version: '1.0.0' } };
}

/** Initialize + initialized, as every MCP client does before anything else. */
export async function handshake(rpc: Rpc): Promise<{ readyMs: number }> {
  const { at } = await rpc.request('initialize', initializeParams());
  rpc.notify('notifications/initialized');
  return { readyMs: at - rpc.spawnedAt };
}

export interface ToolResult {
  readonly isError: boolean;
  /** The text content the model sees. */
  readonly text: string;
  readonly ms: number;
}

export async function callTool(rpc: Rpc, name: string, args: Json): Promise<ToolResult> {
  const started = performance.now();
  const { result, at } = await rpc.request('tools/call', { name, arguments: args });
  const content = (result.content as { type: string; text?: string }[] | undefined) ?? [];
  // The text the model reads; resource_link blocks (a page's own address) carry no text.
  const text = content
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');
  return { isError: result.isError === true, text, ms: at - started };
}

/** Peak (VmHWM) and current (VmRSS) resident set of a live process, in MB. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** CPU time (user + system) a live process has used so far, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15 overall.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux.
}
