// Where attachment files may be written and read: only below directories the operator allows
// (ATLASSIAN_ATTACHMENT_DIRS; inside VS Code, the workspace). Downloads land in the first one, in a
// folder per page, and never overwrite; uploads read regular files whose real path (links resolved)
// lies inside one of them.
import type * as FsPromises from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from './schema';

export const DIRS_SETTING = 'ATLASSIAN_ATTACHMENT_DIRS';

/** Loaded by the first file operation: node:fs/promises brings readline and fs watchers, ~10 ms of every start. */
const fsPromises = (): Promise<typeof FsPromises> => import('node:fs/promises');

/** A file name Confluence gave, made safe to create: no folders, no control or reserved characters. */
export function safeFileName(name: string): string {
  const base =
    name
      .split(/[\\/]/)
      .pop()!
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      .replace(/[\x00-\x1f\x7f<>:"|?*]/g, '_')
      .replace(/^[.\s]+|[.\s]+$/g, '')
      .slice(0, 200) || 'attachment';
  return base;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Refuses at once when no directory is allowed, before anything is fetched. */
export function requireDirectory(dirs: readonly string[] | undefined, what: string): asserts dirs is readonly string[] {
  if (!dirs?.length)
    throw new InputError(
      `${what} needs a directory the operator allows, and none is set: set ${DIRS_SETTING} (absolute paths) where the bridge runs.`,
    );
}

/** Writes a downloaded file below the first allowed directory; answers its path and file: URI. */
export async function saveDownload(
  dirs: readonly string[] | undefined,
  folder: string,
  filename: string,
  data: Uint8Array,
): Promise<{ path: string; uri: string }> {
  requireDirectory(dirs, 'Downloading to a file');
  const { mkdir, open, realpath } = await fsPromises();
  const root = await realpath(dirs[0]!);
  const target = join(root, safeFileName(folder));
  await mkdir(target, { recursive: true });
  const name = safeFileName(filename);
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 0; n < 1000; n++) {
    const path = join(target, n === 0 ? name : `${stem} (${n})${ext}`);
    // 'wx' fails when the name exists (a file or a planted link): never overwrite, never follow.
    const handle = await open(path, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'EEXIST') return undefined;
      throw err;
    });
    if (!handle) continue;
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    return { path, uri: pathToFileURL(path).href };
  }
  throw new InputError(`Too many files named ${name} in ${target}; remove some and call again.`);
}

/** Reads a file to upload, only from inside an allowed directory (relative paths: below the first). */
export async function readUpload(
  dirs: readonly string[] | undefined,
  filePath: string,
  maxBytes: number,
): Promise<{ path: string; data: Buffer }> {
  requireDirectory(dirs, 'Uploading from a file path');
  const { readFile, realpath, stat } = await fsPromises();
  const roots = await Promise.all(dirs.map((d) => realpath(d).catch(() => undefined)));
  const wanted = isAbsolute(filePath) ? filePath : resolve(roots[0] ?? dirs[0]!, filePath);
  const real = await realpath(wanted).catch(() => undefined);
  if (!real) throw new InputError(`Invalid argument: no file at ${filePath}.`);
  if (!roots.some((root) => root !== undefined && isInside(root, real)))
    throw new InputError(
      `Invalid argument: ${filePath} is outside the directories this bridge may read (${DIRS_SETTING}).`,
    );
  const info = await stat(real);
  if (!info.isFile()) throw new InputError(`Invalid argument: ${filePath} is not a file.`);
  if (info.size > maxBytes)
    throw new InputError(
      `Invalid argument: ${filePath} is ${info.size} bytes; the limit here is ${maxBytes / 1024 / 1024} MB.`,
    );
  return { path: real, data: await readFile(real) };
}
