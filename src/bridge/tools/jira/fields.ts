// Jira fields (toolset jira_fields): find field ids by keyword, list a field's allowed options.
import type { Json, JiraApi } from '../../../atlassian/jira';
import { prune } from '../../format';
import { InputError, p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { allowProject, attempt } from './shared';
import { textOf } from '../../../core/text';

/**
 * Field lists per client, i.e. per site and credential: in HTTP mode every request brings its own
 * client, so one caller's answer never serves another caller whose credentials Jira has not checked.
 */
const fieldCache = new WeakMap<object, { at: number; fields: Json[] }>();

/** The site's field list, kept for ten minutes (it changes rarely and is large). */
async function allFields(jira: JiraApi, refresh: boolean, signal: AbortSignal): Promise<Json[]> {
  const key = jira.http;
  const hit = fieldCache.get(key);
  if (hit && !refresh && Date.now() - hit.at < 10 * 60_000) return hit.fields;
  const fields = await jira.fields(signal);
  fieldCache.set(key, { at: Date.now(), fields });
  return fields;
}

/** Ranks fields by how well their id or name matches a keyword (exact, prefix, word, substring, letters in order). */
function fieldScore(field: Json, keyword: string): number {
  const k = keyword.toLowerCase();
  let best = 0;
  for (const text of [field.name, field.id, field.key]) {
    if (typeof text !== 'string') continue;
    const t = text.toLowerCase();
    if (t === k) best = Math.max(best, 100);
    else if (t.startsWith(k)) best = Math.max(best, 80);
    else if (t.split(/[\s_-]+/).some((w) => w.startsWith(k))) best = Math.max(best, 60);
    else if (t.includes(k)) best = Math.max(best, 40);
    else {
      let i = 0;
      for (const c of t) if (c === k[i]) i++;
      if (i === k.length) best = Math.max(best, 10);
    }
  }
  return best;
}

export const jiraSearchFields: ToolDef = {
  name: 'jira_search_fields',
  title: 'Search Jira fields',
  description:
    'Find Jira field ids by name, custom fields included: "story points" → customfield_10016, sprint, epic link, team, severity. Use the ids in `fields`, JQL and additional_fields.',
  toolset: 'jira_fields',
  core: true,
  product: 'jira',
  params: {
    keyword: p.str('Part of a field name or id; empty lists all'),
    limit: p.int('Maximum results (default 10)', 1, 200),
    refresh: p.bool('Reload the field list from Jira'),
  },
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const fields = await allFields(jira, args.refresh === true, ctx.signal);
    const keyword = textOf(args.keyword, '').trim();
    const limit = (args.limit as number | undefined) ?? 10;
    const ranked = keyword
      ? fields
          .map((f) => ({ f, s: fieldScore(f, keyword) }))
          .filter((x) => x.s > 0)
          .sort((a, b) => b.s - a.s)
          .map((x) => x.f)
      : fields;
    return ranked.slice(0, limit).map((f) =>
      prune({
        id: f.id,
        name: f.name,
        type: (f.schema as Json | undefined)?.type,
        custom: f.custom === true ? true : undefined,
      }),
    );
  },
};

export const jiraGetFieldOptions: ToolDef = {
  name: 'jira_get_field_options',
  title: 'Get Jira field options',
  description:
    'Allowed values of a select-type Jira field (custom selects, cascading selects, priority…), to fill create, update and transition fields correctly. On Data Center, or for system fields, pass project_key and issue_type.',
  toolset: 'jira_fields',
  product: 'jira',
  params: {
    field_id: p.str('Field id or name, e.g. customfield_10010 or priority'),
    project_key: p.str('Project key (uses the create screen of this project)'),
    issue_type: p.str('Issue type name or id, with project_key'),
    context_id: p.str('Custom field context id (Cloud)'),
    contains: p.str('Only values containing this text'),
    return_limit: p.int('Maximum values (default 100)', 1, 1000),
    values_only: p.bool('Return only the value strings'),
  },
  required: ['field_id'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    let fieldId = String(args.field_id).trim();
    if (!/^customfield_\d+$/.test(fieldId)) {
      const fields = await allFields(jira, false, ctx.signal);
      const named =
        fields.find((f) => f.id === fieldId) ??
        fields.find((f) => String(f.name).toLowerCase() === fieldId.toLowerCase());
      if (!named)
        throw new InputError(`Invalid argument \`field_id\`: no field "${fieldId}" (try jira_search_fields).`);
      fieldId = String(named.id);
    }
    let options: Json[];
    if (args.project_key && args.issue_type) {
      const projectKey = textOf(args.project_key).toUpperCase();
      allowProject(ctx, projectKey, 'project_key');
      let typeId = textOf(args.issue_type);
      if (!/^\d+$/.test(typeId)) {
        const types = await attempt(`Project ${projectKey}`, () => jira.issueTypes(projectKey, ctx.signal));
        const type = types.find((t) => String(t.name).toLowerCase() === typeId.toLowerCase());
        if (!type)
          throw new InputError(
            `Invalid argument \`issue_type\`: ${projectKey} has no issue type "${typeId}". Types: ${types.map((t) => t.name).join(', ')}.`,
          );
        typeId = String(type.id);
      }
      const meta = await attempt(`Project ${projectKey}`, () => jira.createMetaFields(projectKey, typeId, ctx.signal));
      const field = meta.find((f) => f.fieldId === fieldId || f.key === fieldId);
      if (!field)
        throw new InputError(
          `Invalid argument \`field_id\`: ${fieldId} is not on the create screen of ${projectKey} ${textOf(args.issue_type)}.`,
        );
      options = (field.allowedValues as Json[] | undefined) ?? [];
    } else if (jira.cloud) {
      let contextId = args.context_id as string | undefined;
      if (!contextId) {
        const contexts = await attempt(`Field ${fieldId}`, () => jira.fieldContexts(fieldId, ctx.signal));
        contextId = textOf((contexts.find((c) => c.isGlobalContext === true) ?? contexts[0])?.id, '');
        if (!contextId) throw new InputError(`Field ${fieldId} has no contexts; it may not be a select field.`);
      }
      options = await attempt(`Field ${fieldId}`, () => jira.fieldOptions(fieldId, contextId, ctx.signal));
    } else {
      throw new InputError(
        'Missing arguments `project_key` and `issue_type`: Jira Data Center lists field options per create screen.',
      );
    }
    const label = (o: Json) => String(o.value ?? o.name ?? o.id);
    // Cascading selects: children come nested (`cascadingOptions`) or as options naming their parent (`optionId`).
    const childrenOf = (o: Json) => [
      ...((o.cascadingOptions as Json[] | undefined) ?? []),
      ...options.filter((c) => c.optionId !== undefined && textOf(c.optionId) === String(o.id)),
    ];
    const contains = textOf(args.contains, '').toLowerCase();
    const picked = options
      .filter((o) => o.optionId === undefined)
      .filter((o) => !contains || label(o).toLowerCase().includes(contains))
      .slice(0, (args.return_limit as number | undefined) ?? 100);
    return args.values_only
      ? picked.map(label)
      : picked.map((o) => {
          const children = childrenOf(o).map((c) => prune({ id: c.id, value: label(c) }));
          return prune({
            id: o.id,
            value: label(o),
            disabled: o.disabled === true ? true : undefined,
            children: children.length > 0 ? children : undefined,
          });
        });
  },
};
