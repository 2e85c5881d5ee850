// Jira project versions (toolset jira_versions): list, create (one or a batch), update.
import { AtlassianError } from '../../../atlassian/errors';
import type { Json } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { allowProject, attempt, jsonArray, requiredText } from './shared';
import { textOf } from '../../../core/text';

function versionView(v: Json): Json {
  return prune({
    id: v.id,
    name: v.name,
    description: v.description || undefined,
    released: v.released,
    archived: v.archived || undefined,
    start_date: v.startDate,
    release_date: v.releaseDate,
    overdue: v.overdue || undefined,
  });
}

const MAX_BATCH_VERSIONS = 50;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** yyyy-MM-dd, or '' to clear (when allowed). */
function day(value: unknown, argument: string, clearable = false): string | null | undefined {
  if (value === undefined) return undefined;
  if (clearable && (value === null || value === '')) return null;
  if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InputError(
      `Invalid argument \`${argument}\`: expected yyyy-MM-dd${clearable ? ' (or "" to clear)' : ''}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** A failed write of a batch: what Jira said, and whether trying the rest still makes sense. */
function batchFailure(err: unknown): { message: string; stop: boolean } {
  if (err instanceof AtlassianError) {
    const perItem = err.kind === 'badRequest' || err.kind === 'conflict' || err.kind === 'notFound';
    return { message: err.messages.length > 0 ? err.messages.join('; ') : err.message, stop: !perItem };
  }
  if (err instanceof InputError) return { message: err.message, stop: false };
  throw err;
}

export const jiraGetProjectVersions: ToolDef = {
  name: 'jira_get_project_versions',
  title: 'Get Jira versions',
  description:
    'Fix versions (releases) of a Jira project: id, name, released or not, start and release dates. For release notes, a fixVersion in JQL, or the fixVersions field.',
  toolset: 'jira_versions',
  core: true,
  product: 'jira',
  params: { project_key: p.str('Project key') },
  required: ['project_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.project_key).trim().toUpperCase();
    allowProject(ctx, key, 'project_key');
    const versions = await attempt(`Project ${key}`, () => jira.versions(key, ctx.signal));
    return versions.map(versionView);
  },
};

export const jiraCreateVersion: ToolDef = {
  name: 'jira_create_version',
  title: 'Create Jira version',
  description:
    'Create a fix version (release) in a Jira project, with an optional description and start/release dates (yyyy-MM-dd).',
  toolset: 'jira_versions',
  product: 'jira',
  write: true,
  params: {
    project_key: p.str('Project key'),
    name: p.str('Version name, e.g. 2.1'),
    description: p.str(),
    start_date: p.str('yyyy-MM-dd'),
    release_date: p.str('yyyy-MM-dd'),
  },
  required: ['project_key', 'name'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.project_key).trim().toUpperCase();
    allowProject(ctx, key, 'project_key');
    for (const argument of ['start_date', 'release_date']) {
      const value = args[argument];
      if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(textOf(value)))
        throw new InputError(`Invalid argument \`${argument}\`: expected yyyy-MM-dd, got ${JSON.stringify(value)}.`);
    }
    const project = await attempt(`Project ${key}`, () => jira.project(key, ctx.signal));
    const version = await jira.createVersion(
      prune({
        projectId: Number(project.id),
        name: String(args.name).trim(),
        description: args.description as string | undefined,
        startDate: args.start_date as string | undefined,
        releaseDate: args.release_date as string | undefined,
      }),
      ctx.signal,
    );
    return versionView(version);
  },
};

export const jiraBatchCreateVersions: ToolDef = {
  name: 'jira_batch_create_versions',
  title: 'Create Jira versions in bulk',
  description:
    'Create several fix versions (releases) in a Jira project. `versions` is a JSON array of {"name","description","startDate","releaseDate"} (dates yyyy-MM-dd). Each is created on its own: the result lists `created` and, per refused version, its `index` and the reason.',
  toolset: 'jira_versions',
  product: 'jira',
  write: true,
  params: {
    project_key: p.str('Project key'),
    versions: p.str(
      'JSON array, e.g. [{"name":"v1.0","startDate":"2026-01-01","releaseDate":"2026-02-01","description":"First release"},{"name":"v2.0"}]',
    ),
  },
  required: ['project_key', 'versions'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.project_key).trim().toUpperCase();
    allowProject(ctx, key, 'project_key');
    const items = (jsonArray(args.versions, 'versions', MAX_BATCH_VERSIONS) as Json[]).map((item, i) => {
      const at = `versions[${i}]`;
      return prune({
        name: requiredText(item, 'name', at),
        description: typeof item.description === 'string' ? item.description : undefined,
        startDate: day(item.startDate ?? item.start_date, `${at}.startDate`) ?? undefined,
        releaseDate: day(item.releaseDate ?? item.release_date, `${at}.releaseDate`) ?? undefined,
      });
    });
    const project = await attempt(`Project ${key}`, () => jira.project(key, ctx.signal));
    const created: Json[] = [];
    const errors: Json[] = [];
    let stopped: string | undefined;
    for (const [index, item] of items.entries()) {
      if (stopped) {
        errors.push({ index, name: item.name, error: `Not attempted: ${stopped}` });
        continue;
      }
      try {
        created.push({
          index,
          ...versionView(await jira.createVersion({ projectId: Number(project.id), ...item }, ctx.signal)),
        });
      } catch (err) {
        const failure = batchFailure(err);
        errors.push({ index, name: item.name, error: failure.message });
        if (failure.stop) stopped = failure.message;
      }
    }
    if (created.length === 0) {
      throw new InputError(
        `No version was created in ${key}: ${errors.map((e) => `versions[${String(e.index)}] "${String(e.name)}": ${String(e.error)}`).join(' | ')}`,
      );
    }
    return prune({ project: key, created, errors: errors.length > 0 ? errors : undefined });
  },
};

export const jiraUpdateVersion: ToolDef = {
  name: 'jira_update_version',
  title: 'Update Jira version',
  description:
    'Change a Jira fix version (release): rename it, edit its description or dates (yyyy-MM-dd; "" clears), mark it released or archived. Only the values given change.',
  toolset: 'jira_versions',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: {
    version_id: p.str('Version id (see jira_get_project_versions)'),
    name: p.str('New name'),
    description: p.str('New description'),
    start_date: p.str('yyyy-MM-dd, or "" to clear'),
    release_date: p.str('yyyy-MM-dd, or "" to clear'),
    archived: p.bool('Archive (true) or restore (false)'),
    released: p.bool('Mark released (true) or unreleased (false)'),
  },
  required: ['version_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const id = String(args.version_id).trim();
    if (!/^\d+$/.test(id))
      throw new InputError(
        `Invalid argument \`version_id\`: expected a numeric version id, got "${id}" (see jira_get_project_versions).`,
      );
    const changes: Json = prune({
      name: typeof args.name === 'string' ? args.name.trim() : undefined,
      description: args.description as string | undefined,
      startDate: day(args.start_date, 'start_date', true),
      releaseDate: day(args.release_date, 'release_date', true),
      archived: args.archived as boolean | undefined,
      released: args.released as boolean | undefined,
    });
    if (Object.keys(changes).length === 0)
      throw new InputError(
        'Missing arguments: give at least one of name, description, start_date, release_date, archived or released.',
      );
    if (ctx.config.projectsFilter) {
      const version = await attempt(`Version ${id}`, () => jira.version(id, ctx.signal));
      const project = await attempt(`Project ${String(version.projectId)}`, () =>
        jira.project(String(version.projectId), ctx.signal),
      );
      allowProject(ctx, String(project.key), 'version_id');
    }
    const updated = await attempt(`Version ${id}`, () => jira.updateVersion(id, changes, ctx.signal));
    return versionView(updated);
  },
};
