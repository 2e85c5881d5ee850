// A throw-away PostgreSQL for tests: Debian's binaries (scripts/toolchain.sh installs them), a cluster
// in a temp dir, listening on a free 127.0.0.1 port. As root, the server runs as the `postgres` user
// (initdb refuses root).
import { mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, run, spawnGroup } from './process';

export interface TestPostgres {
  readonly connectionString: string;
  /** The cluster's files (tests scan them for plaintext). */
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** The newest installed server's bin directory, or undefined when PostgreSQL is not installed. */
export function postgresBinDir(): string | undefined {
  let versions: string[];
  try {
    versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v));
  } catch {
    return undefined;
  }
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest && join('/usr/lib/postgresql', newest, 'bin');
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error('PostgreSQL is not installed: run scripts/toolchain.sh as root (apt-get install postgresql).');
  const dir = mkdtempSync(join(tmpdir(), 'amb-pg-'));
  const user = process.getuid?.() === 0 ? ownerIds(dir) : {};
  await run(
    join(bin, 'initdb'),
    ['-D', join(dir, 'data'), '-U', 'amb', '--auth=trust', '-E', 'UTF8', '--no-locale'],
    user,
  );
  const port = await freePort();
  const server = spawnGroup(
    join(bin, 'postgres'),
    ['-D', join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    user,
  );
  await new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (server.output().includes('ready to accept connections')) done();
    };
    const onExit = () => reject(new Error(`PostgreSQL exited while starting:\n${server.output()}`));
    const done = () => {
      server.child.stderr?.off('data', onData);
      server.child.stdout?.off('data', onData);
      server.child.off('exit', onExit);
      resolve();
    };
    server.child.stderr?.on('data', onData);
    server.child.stdout?.on('data', onData);
    server.child.once('exit', onExit);
  });
  return {
    connectionString: `postgresql://amb@127.0.0.1:${port}/postgres`,
    dataDir: join(dir, 'data'),
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to disconnect).
      if (server.child.exitCode === null && server.child.signalCode === null) {
        const exited = once(server.child, 'exit');
        server.child.kill('SIGINT');
        await exited;
      }
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Hands the temp dir to the `postgres` system user and returns spawn options that run as it. */
function ownerIds(dir: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(dir, uid, gid);
  return { uid, gid };
}
