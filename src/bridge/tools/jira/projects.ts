// Jira projects and their components (toolset jira_projects).
import { personName, prune } from '../../format';
import { p } from '../../schema';
import { jiraFor, type ToolDef } from '../../tooling';
import { allowProject, attempt } from './shared';

export const jiraGetAllProjects: ToolDef = {
  name: 'jira_get_all_projects',
  title: 'List Jira projects',
  description: 'List the Jira projects you can see (key, name, type): to find a project key for JQL or a new issue.',
  toolset: 'jira_projects',
  core: true,
  product: 'jira',
  params: { include_archived: p.bool('Include archived projects') },
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const allowed = ctx.config.projectsFilter;
    const projects = await jira.projects({
      includeArchived: args.include_archived as boolean | undefined,
      signal: ctx.signal,
    });
    return projects
      .filter((pr) => !allowed || allowed.includes(String(pr.key).toUpperCase()))
      .map((pr) =>
        prune({
          key: pr.key,
          name: pr.name,
          type: pr.projectTypeKey,
          archived: pr.archived === true ? true : undefined,
        }),
      );
  },
};

export const jiraGetProjectComponents: ToolDef = {
  name: 'jira_get_project_components',
  title: 'Get Jira components',
  description: 'Components of a Jira project, for the components field and JQL (component = "API").',
  toolset: 'jira_projects',
  product: 'jira',
  params: { project_key: p.str('Project key') },
  required: ['project_key'],
  async run(args, ctx) {
    const { jira } = await jiraFor(ctx, args);
    const key = String(args.project_key).toUpperCase();
    allowProject(ctx, key, 'project_key');
    const components = await attempt(`Project ${key}`, () => jira.components(key, ctx.signal));
    return components.map((c) => prune({ id: c.id, name: c.name, lead: personName(c.lead) ?? undefined }));
  },
};
