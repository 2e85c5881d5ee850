// Entry point of dist/bridge.js: runs the bridge (dist/bridge-server.js, built from main.ts) from V8's code
// cache. Node's compile cache (NODE_COMPILE_CACHE, which the extension sets) keeps only what V8 compiles
// when a file loads, the top level; nearly every function that answers the first request (the MCP SDK's
// schemas, the tool table) is compiled lazily afterwards, on every start. The cache written here is taken
// once the bridge has answered its first requests, so those functions come from it too (bench/: about
// 14 ms less CPU per start). Whatever goes wrong with the cache only costs the cache: the bridge then
// compiles as usual, and nothing is printed (stdout is the MCP channel).
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';

const SERVER = join(__dirname, 'bridge-server.js');
/** By then the first requests (initialize, tools/list) have compiled what they use. */
const SAVE_AFTER_MS = 1_000;
const PREFIX = 'bridge-server-';

/** 32-bit FNV-1a, hex: names cache files (no node:crypto at startup). */
function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * NODE_COMPILE_CACHE when set (the extension's global storage); otherwise a directory of this user's in
 * the temp dir, where Node's compile cache is switched on too (for the bundles loaded on demand).
 */
function cacheDir(): { dir: string; shared: boolean } {
  const configured = process.env.NODE_COMPILE_CACHE;
  if (configured) return { dir: configured, shared: false };
  const dir = join(tmpdir(), `atlassian-mcp-bridge-${process.getuid?.() ?? 'cache'}`);
  Module.enableCompileCache?.(dir);
  return { dir, shared: true };
}

/** Code from a shared temp dir runs only from a directory this user owns and nobody else can write to. */
function trusted(dir: string, shared: boolean): boolean {
  if (!shared || !process.getuid) return true;
  const stat = lstatSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // First start of this build, or an unreadable directory.
  }
}

/** Writes the cache once: after SAVE_AFTER_MS, or at exit when the bridge ends sooner. */
function saveLater(script: Script, dir: string, shared: boolean, runtime: string, file: string): void {
  let done = false;
  const save = () => {
    if (done) return;
    done = true;
    const partial = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!trusted(dir, shared)) return;
      writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      renameSync(partial, file);
      // Earlier builds' caches for this Node and these flags are of no further use.
      for (const name of readdirSync(dir)) {
        if (name.startsWith(`${PREFIX}${runtime}-`) && join(dir, name) !== file) unlinkSync(join(dir, name));
      }
    } catch {
      try {
        unlinkSync(partial);
      } catch {
        // Never written.
      }
    }
  };
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once('exit', save);
}

function launch(): void {
  const source = readFileSync(SERVER, 'utf8');
  const { dir, shared } = cacheDir();
  // V8 checks a cache against its own version and flags but the source only by its length: the
  // file's name carries the runtime and the bundle's size and modification time.
  const runtime = fnv(`${process.version}|${process.arch}|${process.execArgv.join(' ')}`);
  const { size, mtimeMs } = statSync(SERVER);
  const file = join(dir, `${PREFIX}${runtime}-${fnv(`${size}|${mtimeMs}`)}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = trusted(dir, shared) ? readCache(file) : undefined;
  } catch {
    cachedData = undefined; // No cache directory yet.
  }
  const script = new Script(Module.wrap(source), { filename: SERVER, cachedData });
  if (!cachedData || script.cachedDataRejected) saveLater(script, dir, shared, runtime, file);
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(SERVER),
    module,
    SERVER,
    __dirname,
  );
}

launch();
