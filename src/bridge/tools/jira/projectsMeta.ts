// What a project offers for new issues (toolset jira_projects): its issue types, the fields each
// type's create screen has (required or not, allowed values), all fields across its types, and
// finding projects by name or key. Both flavours answer these from the create-meta API.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { findProjects } from '../../../atlassian/jiraToolbox';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolContext, type ToolDef } from '../../tooling';
import { attempt, list } from './shared';
import { projectKeyArg } from './issueLookup';
import { textOf } from '../../../core/text';

const PROJECT_KEY = p.str('Project key, e.g. PROJ');

/** Allowed values shown per field; the rest are counted (jira_get_field_options lists them all). */
const ALLOWED_SHOWN = 25;

/** Issue types whose create screens jira_get_project_fields merges. */
const MAX_TYPES = 30;

async function issueTypesOf(ctx: ToolContext, jira: JiraApi, projectKey: string): Promise<Json[]> {
  return attempt(`Project ${projectKey}`, () => jira.issueTypes(projectKey, ctx.signal));
}

function schemaOf(field: Json): Json {
  const schema = (field.schema as Json | undefined) ?? {};
  return prune({
    type: schema.type,
    items: schema.items,
    system: schema.system,
    custom: typeof schema.custom === 'string' ? schema.custom : undefined,
  });
}

function allowedValues(field: Json): Json {
  const values = field.allowedValues as Json[] | undefined;
  if (!Array.isArray(values) || values.length === 0) return {};
  const names = values
    .slice(0, ALLOWED_SHOWN)
    .map((v) => textOf(v.value ?? v.name ?? v.key ?? v.id, ''))
    .filter(Boolean);
  return prune({
    allowed_values: names,
    allowed_values_total: values.length > names.length ? values.length : undefined,
  });
}

function defaultValue(field: Json): unknown {
  if (field.hasDefaultValue !== true) return undefined;
  const v = field.defaultValue as Json | string | undefined;
  return v && typeof v === 'object' ? (v.value ?? v.name ?? v.id) : v;
}

export const jiraGetProjectIssueTypes: ToolDef = {
  name: 'jira_get_project_issue_types',
  title: 'Get Jira project issue types',
  description:
    'Issue types you can create in a project (Task, Bug, Story, Epic, Sub-task…) with their ids. Use an id with jira_get_create_fields to see which fields that type needs.',
  toolset: 'jira_projects',
  product: 'jira',
  params: { project_key: PROJECT_KEY },
  required: ['project_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = projectKeyArg(ctx, args.project_key, 'project_key');
    const types = await issueTypesOf(ctx, jira, key);
    return types.map((t) =>
      prune({
        id: textOf(t.id, ''),
        name: t.name,
        description: t.description || undefined,
        subtask: t.subtask === true,
        hierarchy_level: typeof t.hierarchyLevel === 'number' ? t.hierarchyLevel : undefined,
      }),
    );
  },
};

export const jiraGetCreateFields: ToolDef = {
  name: 'jira_get_create_fields',
  title: 'Get Jira create fields',
  description:
    "Fields on a project's create screen for one issue type: id, name, whether it is required, its type and allowed values. Read this before jira_create_issue when a project requires custom fields.",
  toolset: 'jira_projects',
  product: 'jira',
  params: {
    project_key: PROJECT_KEY,
    issue_type_id: p.str('Issue type id from jira_get_project_issue_types, e.g. 10002 (a type name also works)'),
  },
  required: ['project_key', 'issue_type_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = projectKeyArg(ctx, args.project_key, 'project_key');
    let typeId = textOf(args.issue_type_id).trim();
    if (!/^\d+$/.test(typeId)) {
      const types = await issueTypesOf(ctx, jira, key);
      const type = types.find((t) => textOf(t.name, '').toLowerCase() === typeId.toLowerCase());
      if (!type)
        throw new InputError(
          `Invalid argument \`issue_type_id\`: ${key} has no issue type "${typeId}". Types: ${types.map((t) => `${textOf(t.name)} (${textOf(t.id)})`).join(', ')}.`,
        );
      typeId = textOf(type.id);
    }
    const fields = await attempt(`Project ${key}`, () => jira.createMetaFields(key, typeId, ctx.signal));
    return fields.map((f) =>
      prune({
        field_id: textOf(f.fieldId ?? f.key, ''),
        name: f.name,
        required: f.required === true,
        schema: schemaOf(f),
        default: defaultValue(f),
        ...allowedValues(f),
      }),
    );
  },
};

export const jiraGetProjectFields: ToolDef = {
  name: 'jira_get_project_fields',
  title: 'Get Jira project fields',
  description:
    "Every field an issue in a project can have, merged over the project's issue types: id, name, type, custom or not, and on which issue types it appears and is required.",
  toolset: 'jira_projects',
  product: 'jira',
  params: { project_key: PROJECT_KEY },
  required: ['project_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = projectKeyArg(ctx, args.project_key, 'project_key');
    const types = (await issueTypesOf(ctx, jira, key)).slice(0, MAX_TYPES);
    const merged = new Map<string, Json & { issue_types: string[]; required_for: string[] }>();
    for (const type of types) {
      const typeName = textOf(type.name, textOf(type.id, ''));
      const fields = await attempt(`Project ${key}`, () => jira.createMetaFields(key, textOf(type.id), ctx.signal));
      for (const f of fields) {
        const id = textOf(f.fieldId ?? f.key, '');
        if (!id) continue;
        let entry = merged.get(id);
        if (!entry) {
          const schema = (f.schema as Json | undefined) ?? {};
          entry = {
            field_id: id,
            name: f.name,
            type: schema.type,
            custom: 'custom' in schema,
            issue_types: [],
            required_for: [],
          };
          merged.set(id, entry);
        }
        entry.issue_types.push(typeName);
        if (f.required === true) entry.required_for.push(typeName);
      }
    }
    return [...merged.values()].map((e) =>
      prune({ ...e, required_for: e.required_for.length > 0 ? e.required_for : undefined }),
    );
  },
};

export const jiraSearchProjects: ToolDef = {
  name: 'jira_search_projects',
  title: 'Search Jira projects',
  description:
    'Find Jira projects whose key or name contains some text (e.g. "mobile" → MOB Mobile App), without listing every project on the site.',
  toolset: 'jira_projects',
  product: 'jira',
  params: {
    query: p.str('Part of a project key or name'),
    max_results: p.int('Maximum projects (default 20)', 1, 50),
    current_project_ids: p.str('Comma-separated project ids to leave out'),
  },
  required: ['query'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const query = textOf(args.query).trim();
    const max = (args.max_results as number | undefined) ?? 20;
    const { projects, total } = await findProjects(jira, query, max, ctx.signal);
    const excluded = new Set(list(args.current_project_ids) ?? []);
    const allowed = ctx.config.projectsFilter;
    const shown = projects.filter(
      (pr) => !excluded.has(textOf(pr.id, '')) && (!allowed || allowed.includes(textOf(pr.key, '').toUpperCase())),
    );
    return prune({
      projects: shown.map((pr) =>
        prune({
          key: textOf(pr.key, '').toUpperCase(),
          name: pr.name,
          id: textOf(pr.id, ''),
          type: pr.projectTypeKey,
          archived: pr.archived === true ? true : undefined,
        }),
      ),
      // Jira's count holds only while nothing was left out here.
      total_matches: shown.length === projects.length ? total : undefined,
    });
  },
};
