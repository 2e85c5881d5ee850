// The credentials channel's address and secret in a file only the user can read, for a bridge that
// an editor starts from mcp.json (editors without the MCP provider API cannot be handed the secret in
// the environment; mcp.json must never hold it). The extension writes the file in its global storage
// (0600, directory 0700, written to a temporary name and renamed, so a reader never sees half of it);
// the bridge reads it before each request and refuses a file others could read or another user owns.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface ChannelEndpoint {
  readonly url: string;
  readonly secret: string;
}

/** Thrown when the file is missing, unsafe or malformed: the message says which and what to do. */
export class ChannelFileError extends Error {}

const MAX_FILE_BYTES = 4096;
const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:[0-9]{1,5}$/;

export async function writeChannelFile(path: string, endpoint: ChannelEndpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body = JSON.stringify({ version: 1, url: endpoint.url, secret: endpoint.secret, pid: process.pid });
  // `wx`: never write through a file (or link) someone placed at the temporary name.
  await writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}

/** Removes the file if it still holds this secret (another window may have written its own since). */
export async function removeChannelFile(path: string, secret: string): Promise<void> {
  try {
    if ((await readChannelFile(path)).secret === secret) await rm(path, { force: true });
  } catch {
    // Missing or not ours: nothing to remove.
  }
}

export async function readChannelFile(path: string): Promise<ChannelEndpoint> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    throw new ChannelFileError(
      `The credentials channel file ${path} does not exist: open VS Code with the Atlassian MCP Bridge extension (it writes the file while it runs), or run "Atlassian: Add Bridge to mcp.json…" again.`,
    );
  }
  if (!info.isFile()) throw new ChannelFileError(`${path} is not a regular file; refusing to read it.`);
  if (process.platform !== 'win32') {
    // On Windows the file lives in the user's profile, which other users cannot read by default.
    if ((info.mode & 0o077) !== 0)
      throw new ChannelFileError(
        `${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}); refusing to use it.`,
      );
    if (typeof process.getuid === 'function' && info.uid !== process.getuid())
      throw new ChannelFileError(`${path} belongs to another user; refusing to use it.`);
  }
  if (info.size > MAX_FILE_BYTES) throw new ChannelFileError(`${path} is larger than a channel file can be.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new ChannelFileError(`${path} is not a channel file (not JSON).`);
  }
  const { url, secret } = (parsed ?? {}) as Record<string, unknown>;
  // Only a loopback address: a planted file must not send the bridge's requests anywhere else.
  if (typeof url !== 'string' || !LOOPBACK_URL.test(url) || typeof secret !== 'string' || secret.length < 32)
    throw new ChannelFileError(`${path} is not a channel file (no loopback address and secret).`);
  return { url, secret };
}
