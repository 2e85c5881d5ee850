// What the issue tree's actions do on Jira, editor-free: the prompts live in the adapter.
import type { JiraApi } from '../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../atlassian/markdown';
import type { ConnectionInfo } from '../auth/connections';
import { textOf } from '../core/text';

/** Adds a comment written in Markdown: ADF on Cloud, wiki markup on Data Center. */
export async function commentInMarkdown(
  api: JiraApi,
  key: string,
  markdown: string,
  signal?: AbortSignal,
): Promise<void> {
  const body = api.cloud ? await markdownToAdf(markdown) : await markdownToWiki(markdown);
  await api.addComment(key, body, undefined, signal);
}

export async function assignToMe(
  api: JiraApi,
  connection: ConnectionInfo,
  key: string,
  signal?: AbortSignal,
): Promise<void> {
  // Cloud assigns by account id (known from sign-in); Data Center by user name, which only /myself tells.
  let me = api.cloud ? connection.user.accountId : undefined;
  if (me === undefined) {
    const myself = await api.myself(signal);
    me = textOf(api.cloud ? myself.accountId : myself.name, '');
  }
  await api.assign(key, me, signal);
}
