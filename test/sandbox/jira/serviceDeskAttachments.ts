// Service Management's attachments as Atlassian documents them (Cloud and Data Center alike):
// `POST /servicedesk/{id}/attachTemporaryFile` takes multipart files (field `file`, with
// `X-Atlassian-Token: no-check`) and answers their temporary ids; `POST /request/{key}/attachment`
// turns ids uploaded to that request's service desk into the issue's attachments, each id once.
import type { Request, Response } from 'express';
import type { RequestContext } from '../context';
import type { ServiceDeskPlan } from '../data/jsm-seed';
import { isRecord, sendJson } from './http';
import type { Json, View } from './render';
import { fileParts, mimeTypeOfPart, readRaw } from './routes';
import type { JiraStore } from './store';

export class JsmError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly i18nKey: string,
  ) {
    super(message);
  }
}

interface TemporaryAttachment {
  readonly deskId: string;
  readonly uploaderId: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

const temporaries = new WeakMap<JiraStore, Map<string, TemporaryAttachment>>();
let nextTemporary = 1;

function temporariesOf(store: JiraStore): Map<string, TemporaryAttachment> {
  let map = temporaries.get(store);
  if (!map) temporaries.set(store, (map = new Map()));
  return map;
}

export async function attachTemporaryFile(
  req: Request,
  res: Response,
  ctx: RequestContext,
  store: JiraStore,
  desk: ServiceDeskPlan,
): Promise<void> {
  if (String(req.headers['x-atlassian-token'] ?? '').toLowerCase() !== 'no-check') {
    res.status(403).setHeader('Content-Type', 'text/plain;charset=UTF-8');
    res.end('XSRF check failed');
    return;
  }
  const type = String(req.headers['content-type'] ?? '');
  const boundary = /^multipart\/form-data\b.*;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (!boundary) throw new JsmError(415, `Unsupported media type: ${type || 'none'}.`, 'sd.attachment.media.type');
  const parts = fileParts(await readRaw(req), boundary[1] ?? boundary[2]!);
  if (parts.length === 0)
    throw new JsmError(400, 'No file was attached in a multipart field named "file".', 'sd.attachment.no.file');
  const map = temporariesOf(store);
  const temporaryAttachments = parts.map((part) => {
    const id = `temp80000${String(nextTemporary++).padStart(14, '0')}`;
    map.set(id, {
      deskId: desk.id,
      uploaderId: ctx.user.accountId,
      filename: part.filename,
      mimeType: mimeTypeOfPart(part),
      data: part.data,
    });
    return { temporaryAttachmentId: id, fileName: part.filename };
  });
  sendJson(res, 201, { temporaryAttachments });
}

export function addRequestAttachments(
  body: unknown,
  res: Response,
  ctx: RequestContext,
  store: JiraStore,
  view: View,
  request: { issue: Parameters<JiraStore['addAttachment']>[0]; desk: ServiceDeskPlan },
  date: (ms: number) => Json,
): void {
  const ids = isRecord(body) && Array.isArray(body.temporaryAttachmentIds) ? body.temporaryAttachmentIds : [];
  if (ids.length === 0 || !ids.every((id) => typeof id === 'string'))
    throw new JsmError(400, 'temporaryAttachmentIds must name at least one attachment.', 'sd.attachment.ids.empty');
  const map = temporariesOf(store);
  const found = (ids as string[]).map((id) => {
    const temporary = map.get(id);
    if (!temporary || temporary.deskId !== request.desk.id || temporary.uploaderId !== ctx.user.accountId)
      throw new JsmError(400, `The temporary attachment ${id} does not exist or has expired.`, 'sd.attachment.invalid');
    return temporary;
  });
  for (const id of ids as string[]) map.delete(id);
  const values = found.map((t) => {
    const a = store.addAttachment(request.issue, ctx.user, t.filename, t.mimeType, t.data);
    const rest = `${view.base}/rest/api/2/attachment/${a.id}`;
    return {
      filename: a.filename,
      author: { accountId: ctx.user.accountId, displayName: ctx.user.displayName, active: true },
      created: date(a.created),
      size: a.data.length,
      mimeType: a.mimeType,
      _links: {
        self: `${view.base}/rest/servicedeskapi/request/${request.issue.id}/attachment/${a.id}`,
        jiraRest: rest,
      },
    };
  });
  sendJson(res, 201, {
    attachments: { size: values.length, start: 0, limit: values.length, isLastPage: true, values },
  });
}
