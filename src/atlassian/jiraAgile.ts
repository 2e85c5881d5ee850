// Jira Software (Agile REST): boards, sprints and epics, the layer of the Jira client (./jira)
// above projects and below issues.
import type { RequestOptions } from './http';
import { JiraProjectsApi } from './jiraProjects';
import { enc, type Json } from './jiraRest';

export class JiraAgileApi extends JiraProjectsApi {
  boards(query: RequestOptions['query'], signal?: AbortSignal): Promise<Json> {
    return this.get('/rest/agile/1.0/board', query, ['read:board-scope:jira-software', 'read:jira-work'], signal);
  }

  board(boardId: number, signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/rest/agile/1.0/board/${boardId}`,
      undefined,
      ['read:board-scope:jira-software', 'read:jira-work'],
      signal,
    );
  }

  /** Issues on a board (offset paging with a total; `jql` narrows them). */
  boardIssues(boardId: number, query: RequestOptions['query'], signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/rest/agile/1.0/board/${boardId}/issue`,
      query,
      ['read:issue:jira-software', 'read:jira-work'],
      signal,
    );
  }

  sprints(boardId: number, query: RequestOptions['query'], signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/rest/agile/1.0/board/${boardId}/sprint`,
      query,
      ['read:sprint:jira-software', 'read:jira-work'],
      signal,
    );
  }

  sprint(sprintId: number, signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/rest/agile/1.0/sprint/${sprintId}`,
      undefined,
      ['read:sprint:jira-software', 'read:jira-work'],
      signal,
    );
  }

  /** Creates a future sprint on a scrum board; a POST, so never repeated. */
  createSprint(
    sprint: { originBoardId: number; name: string; startDate?: string; endDate?: string; goal?: string },
    signal?: AbortSignal,
  ): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: '/rest/agile/1.0/sprint',
      body: sprint,
      scopes: ['write:sprint:jira-software', 'write:jira-work'],
      signal,
    });
  }

  /**
   * Partial update (POST /sprint/{id}: only the members given change). Not repeated: a state change
   * (starting or completing the sprint) must not run twice.
   */
  updateSprint(sprintId: number, changes: Json, signal?: AbortSignal): Promise<Json> {
    return this.http.request<Json>({
      method: 'POST',
      path: `/rest/agile/1.0/sprint/${sprintId}`,
      body: changes,
      scopes: ['write:sprint:jira-software', 'write:jira-work'],
      signal,
    });
  }

  sprintIssues(sprintId: number, query: RequestOptions['query'], signal?: AbortSignal): Promise<Json> {
    return this.get(
      `/rest/agile/1.0/sprint/${sprintId}/issue`,
      query,
      ['read:sprint:jira-software', 'read:jira-work'],
      signal,
    );
  }

  async moveToSprint(sprintId: number, issues: readonly string[], signal?: AbortSignal): Promise<void> {
    // Moving issues into a sprint twice leaves them there: safe to retry.
    await this.http.request({
      method: 'POST',
      path: `/rest/agile/1.0/sprint/${sprintId}/issue`,
      body: { issues },
      retryable: true,
      scopes: ['write:sprint:jira-software', 'write:jira-work'],
      signal,
    });
  }

  /**
   * Puts issues under an epic through Jira Software (POST /epic/{key}/issue), which works where the
   * `parent` field does not reach epics (Data Center's Epic Link). Safe to retry: they end up there once.
   */
  async moveToEpic(epicKey: string, issues: readonly string[], signal?: AbortSignal): Promise<void> {
    await this.http.request({
      method: 'POST',
      path: `/rest/agile/1.0/epic/${enc(epicKey)}/issue`,
      body: { issues },
      retryable: true,
      scopes: ['write:epic:jira-software', 'write:jira-work'],
      signal,
    });
  }
}
