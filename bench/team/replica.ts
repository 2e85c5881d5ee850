// One team-server replica for the team benchmark: the real dist bundle (`--transport streamable-http
// --auth oauth`) on a fixed 127.0.0.1 port, so a restarted replica comes back where the load balancer
// expects it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Replica {
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** stdout and stderr so far (JSON log lines; a failure's message). */
  output(): string;
}

export async function startReplica(
  bundle: string,
  name: string,
  port: number,
  env: Record<string, string>,
): Promise<Replica> {
  const child = spawn(
    process.execPath,
    [bundle, '--transport', 'streamable-http', '--auth', 'oauth', '--host', '127.0.0.1', '--port', String(port)],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-100_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica ${name} did not start:\n${output}`)), 20_000);
    const onData = () => {
      if (!output.includes('listening on')) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve();
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited (${code}) while starting:\n${output}`));
    });
  });
  return { name, port, child, exited, output: () => output };
}
