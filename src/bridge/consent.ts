// Which writes the person confirms before they happen, and what they are told. The list is decided
// here, by name, from the tools' destructiveHint (docs/audit-log.md says why each is or is not
// here): what cannot be undone (delete), what changes who sees or where things live (restrictions,
// move), what touches many things at once (bulk), and what takes something away from someone
// else's work (remove a link, a watcher, issues from a sprint). Edits that Jira's history or
// Confluence's versions keep (update, transition, edit) are not asked: VS Code already shows each
// non-read-only tool call for approval. Names of tools not built yet are listed so they arrive asked.
import { textOf } from '../core/text';
import { p, type Param } from './schema';

interface ConsentRule {
  /** What will happen, in the person's terms, from the call's arguments. */
  readonly what: (args: Record<string, unknown>) => string;
  /** Only calls that match are asked (e.g. a batch that is only validated is not). */
  readonly when?: (args: Record<string, unknown>) => boolean;
}

const s = (value: unknown): string =>
  Array.isArray(value) ? value.map((v) => textOf(v, '?')).join(', ') : textOf(value, '?');
const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

export const CONSENT_RULES: Readonly<Record<string, ConsentRule>> = {
  jira_delete_issue: { what: (a) => `Delete Jira issue ${s(a.issue_key)} (and its sub-tasks) for good` },
  jira_remove_issue_link: { what: (a) => `Remove the Jira issue link ${s(a.link_id)}` },
  jira_remove_watcher: {
    what: (a) => `Remove ${s(a.account_id ?? a.username ?? a.user_identifier)} from the watchers of ${s(a.issue_key)}`,
  },
  jira_batch_create_issues: {
    what: (a) => `Create ${count(a.issues)} Jira issues at once`,
    when: (a) => a.validate_only !== true,
  },
  jira_batch_create_versions: {
    what: (a) => `Create ${count(a.versions)} versions in project ${s(a.project_key)} at once`,
  },
  jira_update_sprint: {
    what: (a) => `Close sprint ${s(a.sprint_id)} (its open issues leave it)`,
    when: (a) => textOf(a.state).toLowerCase() === 'closed',
  },
  jira_move_issue: { what: (a) => `Move Jira issue ${s(a.issue_key)} to project ${s(a.target_project_key)}` },
  jira_move_issues_to_backlog: {
    what: (a) => `Move ${s(a.issue_keys)} to the backlog, out of their sprints`,
  },
  confluence_delete_page: { what: (a) => `Delete Confluence page ${s(a.page_id)}` },
  confluence_delete_attachment: { what: (a) => `Delete Confluence attachment ${s(a.attachment_id)} for good` },
  confluence_move_page: {
    what: (a) =>
      `Move Confluence page ${s(a.page_id)} to ${a.target_space_key ? `space ${s(a.target_space_key)}` : ''}${
        a.target_space_key && a.target_parent_id ? ', ' : ''
      }${a.target_parent_id ? `under page ${s(a.target_parent_id)}` : ''}`,
  },
  confluence_set_page_restrictions: {
    what: (a) => `Replace who may read and edit Confluence page ${s(a.page_id)}`,
  },
};

/** The argument a model passes, after asking the person itself, where the client cannot ask. */
export const CONFIRM_ARGUMENT = 'confirm';

export const CONFIRM_PARAM: Param = p.bool(
  'true only after the person said yes to this exact change (for clients that cannot ask them; see the description).',
);

/** The last sentence of an asked tool's description: how the confirmation works in every client. */
export const CONSENT_SENTENCE =
  ' The person is asked to confirm before anything changes; if your client cannot ask them, ask them yourself and call again with `confirm: true` only after they agreed.';

export function asksConsent(tool: string): boolean {
  return tool in CONSENT_RULES;
}

/** The question for this call, or undefined when this call is not asked. */
export function consentQuestion(
  tool: string,
  args: Record<string, unknown>,
  site: { readonly name: string; readonly url: string } | undefined,
): string | undefined {
  const rule = CONSENT_RULES[tool];
  if (!rule || (rule.when && !rule.when(args))) return undefined;
  const where = site ? ` on ${site.name} (${site.url})` : '';
  return `${rule.what(args)}${where}? An agent called ${tool}.`;
}
