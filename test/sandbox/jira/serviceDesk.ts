// Jira Service Management's REST API (/rest/servicedeskapi) over a site's Jira store, in Atlassian's
// documented shapes: paged `{ size, start, limit, isLastPage, values }` envelopes, request types with
// their fields, customer requests and SLA cycles; errors as `{ errorMessage, i18nErrorMessage }`.
import express, { type Request, type Response, type Router } from 'express';
import { context, requireScope, type RequestContext } from '../context';
import { QUEUES, SERVICE_DESKS, SLA_GOALS, type RequestTypePlan, type ServiceDeskPlan } from '../data/jsm-seed';
import { USERS } from '../data/users';
import { PRIORITIES, STATUSES, type IssueRecord } from './model';
import { isRecord, queryBool, queryInt, sendJson, type ViewFor } from './http';
import { issueJson, userJson, type Json, type View } from './render';
import { addRequestAttachments, attachTemporaryFile, JsmError } from './serviceDeskAttachments';
import { usernameOf, type JiraStore } from './store';

const READ = ['read:servicedesk-request'];
const WRITE = ['write:servicedesk-request'];
const QUEUE_FIELDS = ['issuetype', 'summary', 'status', 'assignee', 'priority', 'updated'];

/** A JSM refusal, sent as `{ errorMessage, i18nErrorMessage }`. */

/** What Service Management keeps besides the issue itself: which request type raised it. */
const requestTypes = new WeakMap<JiraStore, Map<string, string>>();

function raisedAs(store: JiraStore): Map<string, string> {
  let map = requestTypes.get(store);
  if (!map) requestTypes.set(store, (map = new Map()));
  return map;
}

export function serviceDesksOf(store: JiraStore): readonly ServiceDeskPlan[] {
  return SERVICE_DESKS[store.site.name] ?? [];
}

/** The service desk an issue's project is, if any. */
export function serviceDeskOfIssue(store: JiraStore, issue: IssueRecord): ServiceDeskPlan | undefined {
  const project = store.projectOf(issue);
  return serviceDesksOf(store).find((d) => d.projectKey === project.key);
}

const viewFor: ViewFor = (_req, ctx, store) => ({
  base: ctx.jiraBase,
  apiVersion: '2',
  adf: false,
  dc: store.dataCenter,
  store,
  me: ctx.user,
});

function links(req: Request, res: Response): Json {
  const base = context(res).jiraBase;
  return {
    base,
    context: '',
    self: `${base}${req.originalUrl.replace(/^.*?\/rest\/servicedeskapi/, '/rest/servicedeskapi')}`,
  };
}

function page(req: Request, res: Response, all: readonly unknown[], defaultLimit = 50): Json {
  const start = Math.max(0, queryInt(req, 'start', 0));
  const limit = Math.min(100, Math.max(1, queryInt(req, 'limit', defaultLimit)));
  const values = all.slice(start, start + limit);
  return {
    _expands: [],
    size: values.length,
    start,
    limit,
    isLastPage: start + values.length >= all.length,
    _links: links(req, res),
    values,
  };
}

function deskJson(desk: ServiceDeskPlan, store: JiraStore, base: string): Json {
  const project = store.findProject(desk.projectKey)!;
  return {
    id: desk.id,
    projectId: project.id,
    projectName: project.name,
    projectKey: project.key,
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${desk.id}` },
  };
}

function requireDesk(store: JiraStore, ref: string): ServiceDeskPlan {
  // Cloud also takes a project key or id here; Data Center only the service desk id.
  const desk = serviceDesksOf(store).find(
    (d) =>
      d.id === ref ||
      (!store.dataCenter && (d.projectKey === ref.toUpperCase() || store.findProject(d.projectKey)?.id === ref)),
  );
  if (!desk) throw new JsmError(404, `Service Desk with id: ${ref} does not exist.`, 'sd.service.desk.not.found');
  return desk;
}

function requireType(desk: ServiceDeskPlan, id: string): RequestTypePlan {
  const type = desk.requestTypes.find((t) => t.id === id);
  if (!type)
    throw new JsmError(404, `The request type ${id} does not exist in this service desk.`, 'sd.request.type.not.found');
  return type;
}

function dateDto(ms: number): Json {
  const iso = new Date(ms).toISOString();
  return {
    iso8601: iso.replace(/\.\d{3}Z$/, '+0000'),
    jira: iso.replace('Z', '+0000'),
    friendly: `${iso.slice(0, 10)} ${iso.slice(11, 16)}`,
    epochMillis: ms,
  };
}

function durationDto(ms: number): Json {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const text = `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return { millis: ms, friendly: ms < 0 ? `-${text}` : text };
}

/** First response: the first comment by someone other than the reporter. */
function slaStop(issue: IssueRecord, slaId: string): number | null {
  if (slaId === '1') {
    const reply = issue.comments.find((c) => c.authorId !== issue.reporterId);
    return reply?.created ?? issue.resolutionDate;
  }
  return issue.resolutionDate;
}

function slaJson(issue: IssueRecord, now: number, base: string): Json[] {
  return SLA_GOALS.map((goal) => {
    const start = issue.created;
    const stop = slaStop(issue, goal.id);
    const elapsed = (stop ?? now) - start;
    const cycle: Json = {
      startTime: dateDto(start),
      breachTime: dateDto(start + goal.goalMs),
      breached: elapsed > goal.goalMs,
      goalDuration: durationDto(goal.goalMs),
      elapsedTime: durationDto(elapsed),
      remainingTime: durationDto(goal.goalMs - elapsed),
    };
    const out: Json = {
      id: goal.id,
      name: goal.name,
      _links: { self: `${base}/rest/servicedeskapi/request/${issue.id}/sla/${goal.id}` },
      completedCycles: stop === null ? [] : [{ ...cycle, stopTime: dateDto(stop) }],
    };
    if (stop === null) out.ongoingCycle = { ...cycle, paused: false, withinCalendarHours: true };
    return out;
  });
}

function requestJson(issue: IssueRecord, desk: ServiceDeskPlan, type: RequestTypePlan, view: View): Json {
  const status = STATUSES.find((s) => s.id === issue.statusId)!;
  const base = view.base;
  return {
    _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
    issueId: issue.id,
    issueKey: issue.key,
    requestTypeId: type.id,
    serviceDeskId: desk.id,
    createdDate: dateDto(issue.created),
    reporter: userJson(view.store.user(issue.reporterId), view),
    requestFieldValues: type.fields.map((f) => ({
      fieldId: f.fieldId,
      label: f.name,
      value: f.fieldId === 'summary' ? issue.summary : f.fieldId === 'description' ? issue.description : null,
    })),
    currentStatus: {
      status: status.name,
      statusCategory: status.category === 'new' ? 'NEW' : status.category === 'done' ? 'DONE' : 'INDETERMINATE',
      statusDate: dateDto(issue.statusCategoryChangeDate),
    },
    _links: {
      web: `${base}/servicedesk/customer/portal/${desk.id}/${issue.key}`,
      self: `${base}/rest/servicedeskapi/request/${issue.id}`,
    },
  };
}

function customer(store: JiraStore, ref: unknown) {
  const value = typeof ref === 'string' ? ref : '';
  return USERS.find((u) => u.accountId === value || (store.dataCenter && usernameOf(u) === value));
}

/** Creates the issue behind a customer request, checking the fields as the request type defines them. */
function createRequest(body: Json, ctx: RequestContext, store: JiraStore, view: View): Json {
  const desk = requireDesk(store, String(body.serviceDeskId ?? ''));
  const type = requireType(desk, String(body.requestTypeId ?? ''));
  const values = isRecord(body.requestFieldValues) ? body.requestFieldValues : {};
  for (const id of Object.keys(values))
    if (!type.fields.some((f) => f.fieldId === id))
      throw new JsmError(400, `Field '${id}' is not valid for this request type.`, 'sd.request.field.invalid');
  for (const f of type.fields)
    if (f.required && (typeof values[f.fieldId] !== 'string' || !String(values[f.fieldId]).trim()))
      throw new JsmError(400, `${f.name} is required.`, 'sd.request.field.required');
  let priorityId = PRIORITIES[2]!.id;
  if (values.priority !== undefined) {
    const p = isRecord(values.priority) ? values.priority : {};
    const hit = PRIORITIES.find((x) => x.id === p.id || x.name === p.name);
    if (!hit) throw new JsmError(400, 'Priority: the value is not valid.', 'sd.request.field.invalid');
    priorityId = hit.id;
  }
  let reporterId = ctx.user.accountId;
  if (body.raiseOnBehalfOf !== undefined) {
    const who = customer(store, body.raiseOnBehalfOf);
    if (!who)
      throw new JsmError(
        400,
        `Cannot raise the request on behalf of '${String(body.raiseOnBehalfOf)}': the customer does not exist.`,
        'sd.request.raise.on.behalf.invalid',
      );
    reporterId = who.accountId;
  }
  for (const ref of Array.isArray(body.requestParticipants) ? body.requestParticipants : [])
    if (!customer(store, ref))
      throw new JsmError(400, `The participant '${String(ref)}' does not exist.`, 'sd.request.participant.invalid');
  const issue = store.createIssue({
    project: store.findProject(desk.projectKey)!,
    issueTypeId: type.issueTypeId,
    summary: String(values.summary),
    description: typeof values.description === 'string' ? values.description : null,
    environment: null,
    priorityId,
    assigneeId: null,
    reporterId,
    creatorId: ctx.user.accountId,
    labels: [],
    parentId: null,
    dueDate: null,
    storyPoints: null,
    originalEstimateSeconds: null,
  });
  raisedAs(store).set(issue.id, type.id);
  return requestJson(issue, desk, type, view);
}

/** The request behind an issue key or id: an issue of a service desk project. */
function requireRequest(store: JiraStore, ref: string): { issue: IssueRecord; desk: ServiceDeskPlan } {
  const issue = store.findIssue(ref);
  const desk = issue && serviceDeskOfIssue(store, issue);
  if (!issue || !desk)
    throw new JsmError(
      404,
      'The request could not be found or you do not have permission to view it.',
      'sd.request.not.found',
    );
  return { issue, desk };
}

export function serviceDeskRouter(storeFor: (ctx: RequestContext) => JiraStore): Router {
  const router = express.Router();
  const handle =
    (
      scopes: readonly string[],
      run: (req: Request, res: Response, ctx: RequestContext, store: JiraStore, view: View) => void | Promise<void>,
    ) =>
    async (req: Request, res: Response) => {
      if (!requireScope(req, res, scopes)) return;
      const ctx = context(res);
      const store = storeFor(ctx);
      try {
        await run(req, res, ctx, store, viewFor(req, ctx, store));
      } catch (error) {
        if (!(error instanceof JsmError)) throw error;
        sendJson(res, error.status, {
          errorMessage: error.message,
          i18nErrorMessage: { i18nKey: error.i18nKey, parameters: [] },
        });
      }
    };
  const param = (req: Request, name: string) => String(req.params[name] ?? '');

  router.get(
    '/servicedesk',
    handle(READ, (req, res, ctx, store) =>
      sendJson(
        res,
        200,
        page(
          req,
          res,
          serviceDesksOf(store).map((d) => deskJson(d, store, ctx.jiraBase)),
        ),
      ),
    ),
  );
  router.get(
    '/servicedesk/:id',
    handle(READ, (req, res, ctx, store) =>
      sendJson(res, 200, deskJson(requireDesk(store, param(req, 'id')), store, ctx.jiraBase)),
    ),
  );
  router.get(
    '/servicedesk/:id/queue',
    handle(READ, (req, res, ctx, store) => {
      const desk = requireDesk(store, param(req, 'id'));
      const count = queryBool(req, 'includeCount');
      const queues = QUEUES.map((q) => {
        const jql = q.jql.replace('{project}', desk.projectKey);
        const out: Json = {
          id: q.id,
          name: q.name,
          jql,
          fields: ['issuetype', 'issuekey', 'summary', 'status', 'assignee', 'created'],
          _links: { self: `${ctx.jiraBase}/rest/servicedeskapi/servicedesk/${desk.id}/queue/${q.id}` },
        };
        if (count) out.issueCount = store.search(jql, ctx.user).issues.length;
        return out;
      });
      sendJson(res, 200, page(req, res, queues));
    }),
  );
  router.get(
    '/servicedesk/:id/queue/:queueId/issue',
    handle(READ, (req, res, ctx, store, view) => {
      const desk = requireDesk(store, param(req, 'id'));
      const queue = QUEUES.find((q) => q.id === param(req, 'queueId'));
      if (!queue)
        throw new JsmError(404, `Queue with id: ${param(req, 'queueId')} does not exist.`, 'sd.queue.not.found');
      const { issues } = store.search(queue.jql.replace('{project}', desk.projectKey), ctx.user);
      const rows = issues.map((i) => issueJson(i, view, { fields: new Set(QUEUE_FIELDS), expand: new Set() }));
      sendJson(res, 200, page(req, res, rows));
    }),
  );
  router.get(
    '/servicedesk/:id/requesttype',
    handle(READ, (req, res, ctx, store) => {
      const desk = requireDesk(store, param(req, 'id'));
      const types = desk.requestTypes.map((t) => ({
        _expands: [],
        id: t.id,
        _links: { self: `${ctx.jiraBase}/rest/servicedeskapi/servicedesk/${desk.id}/requesttype/${t.id}` },
        name: t.name,
        description: t.description,
        helpText: t.helpText,
        issueTypeId: t.issueTypeId,
        serviceDeskId: desk.id,
        portalId: desk.id,
        groupIds: [],
      }));
      sendJson(res, 200, page(req, res, types));
    }),
  );
  router.get(
    '/servicedesk/:id/requesttype/:typeId/field',
    handle(READ, (req, res, _ctx, store) => {
      const type = requireType(requireDesk(store, param(req, 'id')), param(req, 'typeId'));
      sendJson(res, 200, {
        requestTypeFields: type.fields.map((f) => ({
          fieldId: f.fieldId,
          name: f.name,
          description: f.description,
          required: f.required,
          defaultValues: [],
          validValues: f.validValues.map((v) => ({ ...v, children: [] })),
          presetValues: [],
          jiraSchema: f.jiraSchema,
          visible: true,
        })),
        canRaiseOnBehalfOf: true,
        canAddRequestParticipants: true,
      });
    }),
  );
  router.post(
    '/request',
    handle(WRITE, (req, res, ctx, store, view) => {
      const body: unknown = req.body;
      if (!isRecord(body)) throw new JsmError(400, 'The request body is not valid JSON.', 'sd.request.body.invalid');
      sendJson(res, 201, createRequest(body, ctx, store, view));
    }),
  );
  router.get(
    '/request/:key',
    handle(READ, (req, res, _ctx, store, view) => {
      const { issue, desk } = requireRequest(store, param(req, 'key'));
      const type = desk.requestTypes.find((t) => t.id === raisedAs(store).get(issue.id)) ?? desk.requestTypes[0]!;
      sendJson(res, 200, requestJson(issue, desk, type, view));
    }),
  );
  router.post(
    '/servicedesk/:id/attachTemporaryFile',
    handle(WRITE, (req, res, ctx, store) =>
      attachTemporaryFile(req, res, ctx, store, requireDesk(store, param(req, 'id'))),
    ),
  );
  router.post(
    '/request/:key/attachment',
    handle(WRITE, (req, res, ctx, store, view) =>
      addRequestAttachments(req.body, res, ctx, store, view, requireRequest(store, param(req, 'key')), dateDto),
    ),
  );
  router.get(
    '/request/:key/sla',
    handle(READ, (req, res, ctx, store) => {
      const { issue } = requireRequest(store, param(req, 'key'));
      sendJson(res, 200, page(req, res, slaJson(issue, store.now(), ctx.jiraBase)));
    }),
  );
  return router;
}
