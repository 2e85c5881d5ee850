// The Jira toolbox's tools (issue 16, item 6) by whether they only read, and the helpers its tests share.
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/client';
import { call } from './harness';

type Json = Record<string, unknown>;

export const READS = [
  'jira_batch_get_changelogs',
  'jira_get_create_fields',
  'jira_get_project_issue_types',
  'jira_get_project_fields',
  'jira_search_projects',
  'jira_search_assignable_users',
  'jira_get_issue_dates',
  'jira_get_issue_images',
  'jira_get_project_epic_hierarchy',
  'jira_get_cross_project_dependencies',
  'jira_get_issue_development_info',
  'jira_get_issues_development_info',
];
export const WRITES = ['jira_move_issue', 'jira_move_issues_to_backlog'];
export const ANNOTATIONS: Record<string, Json> = {
  jira_move_issue: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  jira_move_issues_to_backlog: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
};

export async function ok<T = Json>(client: Client, name: string, args: Json = {}): Promise<T> {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.json as T;
}

export async function fails(client: Client, name: string, args: Json): Promise<string> {
  const r = await call(client, name, args);
  assert.equal(r.isError, true, `${name} should have failed: ${r.text}`);
  return r.text;
}
