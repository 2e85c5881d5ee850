// Jira Service Management (toolset jira_service_desk): service desks, queues, request types and their
// fields, and customer requests. Same API on Cloud and Data Center. The projects filter is checked on
// the service desk Atlassian returns (its projectKey), before anything else is read or written.
import { AtlassianError } from '../../../atlassian/errors';
import type { Json } from '../../../atlassian/jira';
import { ServiceDeskApi, type JsmPage } from '../../../atlassian/serviceDesk';
import { prune, searchRow } from '../../format';
import { InputError, p } from '../../schema';
import { projectOfIssueKey } from '../../scope';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { allowProject, attempt, list } from './shared';
import { requestFieldValues } from './requestFields';
import { ATTACHMENTS, attachToRequest, readRequestAttachments } from './requestAttachments';
import { textOf } from '../../../core/text';

const SERVICE_DESK_ID = p.str('Service desk id (see jira_get_service_desk_for_project), e.g. 1');
const START_AT = p.int('Offset of the first item (default 0)', 0);
const LIMIT = p.int('Items per page (default 50)', 1, 100);

/** Ids the Service Management API takes in paths: numbers. */
function numericId(value: unknown, argument: string): string {
  const id = textOf(value).trim();
  if (!/^\d{1,18}$/.test(id))
    throw new InputError(`Invalid argument \`${argument}\`: expected a numeric id, got "${id}".`);
  return id;
}

async function serviceDeskFor(ctx: ToolContext, args: Record<string, unknown>) {
  const { site, jira } = await jiraFor(ctx, args);
  return { site, jira, jsm: new ServiceDeskApi(jira) };
}

/** The API for service desk `id`, once the projects filter allows that desk. */
async function openServiceDesk(ctx: ToolContext, args: Record<string, unknown>, id: string) {
  const opened = await serviceDeskFor(ctx, args);
  await allowServiceDesk(ctx, opened.jsm, id);
  return opened;
}

/** With JIRA_PROJECTS_FILTER set, the service desk must belong to an allowed project (Jira says which). */
async function allowServiceDesk(ctx: ToolContext, jsm: ServiceDeskApi, id: string): Promise<void> {
  const allowed = ctx.config.projectsFilter;
  if (!allowed) return;
  const desk = await attempt(`Service desk ${id}`, () => jsm.serviceDesk(id, ctx.signal));
  const project = textOf(desk.projectKey).toUpperCase();
  if (!project || !allowed.includes(project))
    throw new InputError(
      `Invalid argument \`service_desk_id\`: service desk ${id} belongs to ${project ? `project ${project}` : 'no known project'}, outside this bridge's allowed projects (${allowed.join(', ')}).`,
    );
}

/** JSM's envelope as the tools return it: the items, and where the next page starts when there is one. */
function paged(page: JsmPage, items: unknown[], key: string): Json {
  const start = page.start ?? 0;
  const returned = page.values?.length ?? 0;
  return prune({
    [key]: items,
    start,
    is_last_page: page.isLastPage !== false,
    next_start_at: page.isLastPage === false ? start + returned : undefined,
  });
}

function deskView(desk: Json): Json {
  return prune({
    id: textOf(desk.id) || undefined,
    project_key: desk.projectKey,
    project_name: desk.projectName,
    project_id: textOf(desk.projectId) || undefined,
  });
}

/** A missing Service Management API means JSM is not installed (Cloud) or not licensed (Data Center). */
function jsmMissing(err: unknown, host: string): unknown {
  if (err instanceof AtlassianError && err.kind === 'notFound')
    return new AtlassianError(
      `Jira Service Management is not available on ${host}: its API (/rest/servicedeskapi) answered 404.`,
      { kind: 'notFound', host: err.host, status: err.status, messages: err.messages },
    );
  return err;
}

export const jiraGetServiceDeskForProject: ToolDef = {
  name: 'jira_get_service_desk_for_project',
  title: 'Get JSM service desk for project',
  description:
    'Find the Jira Service Management (JSM) service desk of a project key: its service desk id, needed by the queue, request type and customer request tools.',
  toolset: 'jira_service_desk',
  product: 'jira',
  params: { project_key: p.str('Project key, e.g. HELP') },
  required: ['project_key'],
  async run(args, ctx) {
    const key = textOf(args.project_key).trim().toUpperCase();
    allowProject(ctx, key, 'project_key');
    const { site, jsm } = await serviceDeskFor(ctx, args);
    // Data Center's /servicedesk/{id} takes ids only, so the list is searched (bounded: 20 pages of 100).
    for (let start = 0, pages = 0; pages < 20; pages++) {
      const page = await jsm.serviceDesks(start, 100, ctx.signal).catch((err: unknown) => {
        throw jsmMissing(err, site.name);
      });
      const values = page.values ?? [];
      const desk = values.find((d) => textOf(d.projectKey).toUpperCase() === key);
      if (desk) return deskView(desk);
      if (page.isLastPage !== false || values.length === 0) {
        // Only projects the filter allows are named.
        const allowed = ctx.config.projectsFilter;
        const seen = values
          .map((d) => textOf(d.projectKey))
          .filter((k) => !allowed || allowed.includes(k.toUpperCase()));
        throw new InputError(
          `Project ${key} has no Jira Service Management service desk on ${site.name}, or you cannot see it. Service desks you can see: ${seen.join(', ') || 'none'}.`,
        );
      }
      start += values.length;
    }
    throw new InputError(`Project ${key}: no service desk among the first 2,000 on ${site.name}.`);
  },
};

export const jiraGetServiceDeskQueues: ToolDef = {
  name: 'jira_get_service_desk_queues',
  title: 'Get JSM service desk queues',
  description:
    "The queues of a Jira Service Management service desk (the agents' views of open requests and tickets): id, name, JQL and how many issues each holds.",
  toolset: 'jira_service_desk',
  product: 'jira',
  params: { service_desk_id: SERVICE_DESK_ID, start_at: START_AT, limit: LIMIT },
  required: ['service_desk_id'],
  async run(args, ctx) {
    const id = numericId(args.service_desk_id, 'service_desk_id');
    const { jsm } = await openServiceDesk(ctx, args, id);
    const page = await attempt(`Service desk ${id}`, () =>
      jsm.queues(id, (args.start_at as number) ?? 0, (args.limit as number) ?? 50, ctx.signal),
    );
    const queues = (page.values ?? []).map((q) =>
      prune({ id: textOf(q.id) || undefined, name: q.name, jql: q.jql, issue_count: q.issueCount }),
    );
    return paged(page, queues, 'queues');
  },
};

export const jiraGetQueueIssues: ToolDef = {
  name: 'jira_get_queue_issues',
  title: 'Get JSM queue issues',
  description:
    "The requests (tickets) in a Jira Service Management queue, in the queue's order: key, summary, status, assignee. Pages with start_at.",
  toolset: 'jira_service_desk',
  product: 'jira',
  params: {
    service_desk_id: SERVICE_DESK_ID,
    queue_id: p.str('Queue id (see jira_get_service_desk_queues)'),
    start_at: START_AT,
    limit: LIMIT,
  },
  required: ['service_desk_id', 'queue_id'],
  async run(args, ctx) {
    const id = numericId(args.service_desk_id, 'service_desk_id');
    const queueId = numericId(args.queue_id, 'queue_id');
    const { jsm } = await openServiceDesk(ctx, args, id);
    const page = await attempt(`Queue ${queueId} of service desk ${id}`, () =>
      jsm.queueIssues(id, queueId, (args.start_at as number) ?? 0, (args.limit as number) ?? 50, ctx.signal),
    );
    // A queue's JQL can reach other projects: what the filter does not allow is left out.
    const allowed = ctx.config.projectsFilter;
    const returned = page.values ?? [];
    const issues = returned.filter((i) => !allowed || allowed.includes(projectOfIssueKey(textOf(i.key)) ?? ''));
    return prune({
      ...paged(page, issues.map(searchRow), 'issues'),
      left_out:
        issues.length < returned.length
          ? `${returned.length - issues.length} issue(s) outside the allowed projects`
          : undefined,
    });
  },
};

export const jiraGetRequestTypes: ToolDef = {
  name: 'jira_get_request_types',
  title: 'Get JSM request types',
  description:
    'The request types of a Jira Service Management service desk (what customers can ask for: get IT help, report an incident…): id, name, description, issue type.',
  toolset: 'jira_service_desk',
  product: 'jira',
  params: { service_desk_id: SERVICE_DESK_ID, start_at: START_AT, limit: LIMIT },
  required: ['service_desk_id'],
  async run(args, ctx) {
    const id = numericId(args.service_desk_id, 'service_desk_id');
    const { jsm } = await openServiceDesk(ctx, args, id);
    const page = await attempt(`Service desk ${id}`, () =>
      jsm.requestTypes(id, (args.start_at as number) ?? 0, (args.limit as number) ?? 50, ctx.signal),
    );
    const types = (page.values ?? []).map((t) =>
      prune({
        id: textOf(t.id) || undefined,
        name: t.name,
        description: t.description || undefined,
        help_text: t.helpText || undefined,
        issue_type_id: textOf(t.issueTypeId) || undefined,
      }),
    );
    return paged(page, types, 'request_types');
  },
};

export const jiraGetRequestTypeFields: ToolDef = {
  name: 'jira_get_request_type_fields',
  title: 'Get JSM request type fields',
  description:
    'The fields a Jira Service Management request type asks for, before creating a customer request: field id, name, required, and the allowed values of select fields.',
  toolset: 'jira_service_desk',
  product: 'jira',
  params: { service_desk_id: SERVICE_DESK_ID, request_type_id: p.str('Request type id (see jira_get_request_types)') },
  required: ['service_desk_id', 'request_type_id'],
  async run(args, ctx) {
    const id = numericId(args.service_desk_id, 'service_desk_id');
    const typeId = numericId(args.request_type_id, 'request_type_id');
    const { jsm } = await openServiceDesk(ctx, args, id);
    const meta = await attempt(`Request type ${typeId} of service desk ${id}`, () =>
      jsm.requestTypeFields(id, typeId, ctx.signal),
    );
    const fields = ((meta.requestTypeFields as Json[] | undefined) ?? []).map((f) => {
      const schema = (f.jiraSchema as Json | undefined) ?? {};
      const valid = (f.validValues as Json[] | undefined) ?? [];
      return prune({
        field_id: f.fieldId,
        name: f.name,
        required: f.required === true,
        description: f.description || undefined,
        type: textOf(schema.type)
          ? `${textOf(schema.type)}${schema.items ? `<${textOf(schema.items)}>` : ''}`
          : undefined,
        allowed_values: valid.length ? valid.map((v) => prune({ value: v.value, label: v.label })) : undefined,
        default_values: (f.defaultValues as unknown[] | undefined)?.length ? f.defaultValues : undefined,
      });
    });
    return prune({
      fields,
      can_raise_on_behalf_of: meta.canRaiseOnBehalfOf,
      can_add_request_participants: meta.canAddRequestParticipants,
    });
  },
};

const ON_BEHALF = /on ?behalf|raiseOnBehalfOf|customer/i;

export const jiraCreateCustomerRequest: ToolDef = {
  name: 'jira_create_customer_request',
  title: 'Create JSM customer request',
  description:
    'Raise a Jira Service Management customer request (a service desk ticket) of a request type, optionally on behalf of a customer. Field values are checked against jira_get_request_type_fields first; select fields take a label or value. `attachments` are file paths inside the directories the operator allows.',
  toolset: 'jira_service_desk',
  product: 'jira',
  write: true,
  params: {
    service_desk_id: SERVICE_DESK_ID,
    request_type_id: p.str('Request type id (see jira_get_request_types)'),
    request_field_values: p.obj('Field id → value, e.g. {"summary":"VPN down","description":"…","priority":"High"}'),
    raise_on_behalf_of: p.str('Customer to raise it for: account id (Cloud) or username (Data Center)'),
    request_participants: p.list('Account ids (Cloud) or usernames (Data Center) to add as participants'),
    attachments: ATTACHMENTS,
    strict_on_behalf: p.bool(
      'When raising on behalf fails: true = fail (default), false = raise it as yourself and say so',
    ),
  },
  required: ['service_desk_id', 'request_type_id', 'request_field_values'],
  async run(args, ctx) {
    const id = numericId(args.service_desk_id, 'service_desk_id');
    const typeId = numericId(args.request_type_id, 'request_type_id');
    const { site, jsm } = await openServiceDesk(ctx, args, id);
    const meta = await attempt(`Request type ${typeId} of service desk ${id}`, () =>
      jsm.requestTypeFields(id, typeId, ctx.signal),
    );
    const values = requestFieldValues(args.request_field_values as Json, meta, 'request_field_values');
    const files = await readRequestAttachments(ctx, args.attachments);
    const onBehalf = textOf(args.raise_on_behalf_of).trim() || undefined;
    const body = prune({
      serviceDeskId: id,
      requestTypeId: typeId,
      requestFieldValues: values,
      raiseOnBehalfOf: onBehalf,
      requestParticipants: list(args.request_participants),
    });
    let note: string | undefined;
    let created: Json;
    try {
      created = await jsm.createRequest(body, ctx.signal);
    } catch (err) {
      // A 400 created nothing, so raising it again without the customer cannot duplicate it.
      const refusedOnBehalf =
        err instanceof AtlassianError && err.kind === 'badRequest' && err.messages.some((m) => ON_BEHALF.test(m));
      if (!onBehalf || args.strict_on_behalf !== false || !refusedOnBehalf) throw err;
      note = `Raised as you, not on behalf of ${onBehalf}: ${err.messages.join(' ')}`;
      created = await jsm.createRequest({ ...body, raiseOnBehalfOf: undefined }, ctx.signal);
    }
    const status = (created.currentStatus as Json | undefined)?.status;
    const key = textOf(created.issueKey);
    const attached = files.length && key ? await attachToRequest(jsm, id, key, files, ctx.signal) : undefined;
    if (attached && 'note' in attached) note = note ? `${note} ${attached.note}` : attached.note;
    return prune({
      key,
      id: textOf(created.issueId) || undefined,
      status,
      service_desk_id: id,
      request_type_id: typeId,
      reporter: textOf((created.reporter as Json | undefined)?.displayName) || undefined,
      portal_url: textOf((created._links as Json | undefined)?.web) || undefined,
      url: key ? site.browseUrl(key) : undefined,
      attachments: attached && 'attached' in attached ? attached.attached : undefined,
      note,
    });
  },
};
