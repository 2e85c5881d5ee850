// Attachments of a new customer request, the way Service Management takes them: the files are
// uploaded to the service desk as temporary attachments, then attached to the request by their
// temporary ids. Files are read (only from the directories the operator allows) before the request
// is created, so a wrong path creates nothing.
import type { ServiceDeskApi } from '../../../atlassian/serviceDesk';
import type { UploadFile } from '../../../atlassian/multipart';
import { readUpload } from '../../files';
import { mimeTypeOf } from '../../mime';
import { InputError, p } from '../../schema';
import type { ToolContext } from '../../tooling';
import { textOf } from '../../../core/text';
import { basename } from 'node:path';

const MAX_FILES = 10;
const MAX_TOTAL_BYTES = 10 * 1024 * 1024;

export const ATTACHMENTS = p.list(
  `Paths of files to attach (absolute, or relative to the first directory in ATLASSIAN_ATTACHMENT_DIRS; only files inside those directories), up to ${MAX_FILES}`,
);

/** The files named in `attachments`, read and checked; none when the argument is absent or empty. */
export async function readRequestAttachments(ctx: ToolContext, paths: unknown): Promise<UploadFile[]> {
  const wanted = (Array.isArray(paths) ? paths : []).map((x) => textOf(x).trim()).filter(Boolean);
  if (wanted.length === 0) return [];
  if (wanted.length > MAX_FILES)
    throw new InputError(`Invalid argument \`attachments\`: give at most ${MAX_FILES} paths.`);
  const files: UploadFile[] = [];
  let total = 0;
  for (const path of wanted) {
    const { path: real, data } = await readUpload(ctx.config.attachmentDirs, path, MAX_TOTAL_BYTES);
    total += data.length;
    if (total > MAX_TOTAL_BYTES)
      throw new InputError(`Invalid argument \`attachments\`: together over ${MAX_TOTAL_BYTES / 1024 / 1024} MB.`);
    const filename = basename(real);
    files.push({ filename, data, mimeType: mimeTypeOf(filename) });
  }
  return files;
}

/**
 * Attaches the files to the request just created. The request exists whatever happens here, so a
 * failure is reported as a note on the created request, never as the tool failing (a retry would
 * raise a second request).
 */
export async function attachToRequest(
  jsm: ServiceDeskApi,
  serviceDeskId: string,
  issueKey: string,
  files: readonly UploadFile[],
  signal: AbortSignal,
): Promise<{ attached: string[] } | { note: string }> {
  try {
    const uploaded = await jsm.attachTemporaryFiles(serviceDeskId, files, signal);
    const temporary = (uploaded.temporaryAttachments as { temporaryAttachmentId?: unknown }[] | undefined) ?? [];
    const ids = temporary.map((t) => textOf(t.temporaryAttachmentId)).filter(Boolean);
    if (ids.length !== files.length)
      return {
        note: `Request ${issueKey} was created, but the service desk took ${ids.length} of ${files.length} files.`,
      };
    const added = await jsm.addRequestAttachments(issueKey, ids, true, signal);
    const values = ((added.attachments as { values?: { filename?: unknown }[] } | undefined)?.values ?? []).map((a) =>
      textOf(a.filename),
    );
    return { attached: values.length ? values : files.map((f) => f.filename) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { note: `Request ${issueKey} was created, but its attachments were not added: ${reason}` };
  }
}
