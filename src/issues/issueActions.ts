// What the issue tree's actions do on Jira, editor-free: the prompts live in the adapter.
import type { JiraApi, Json } from '../atlassian/jira';
import { markdownToAdf, markdownToWiki } from '../atlassian/markdown';
import type { ConnectionInfo } from '../auth/connections';
import { textOf } from '../core/text';

export interface TransitionChoice {
  readonly id: string;
  readonly name: string;
  /** The status the issue moves to. */
  readonly to: string;
}

export async function availableTransitions(
  api: JiraApi,
  key: string,
  signal?: AbortSignal,
): Promise<TransitionChoice[]> {
  const transitions = await api.transitions(key, signal);
  return transitions.map((t) => ({
    id: String(t.id),
    name: String(t.name ?? t.id),
    to: textOf(((t.to ?? {}) as Json).name, ''),
  }));
}

/** Finds a transition by id, name or target status (case-insensitive), for callers that name one. */
export function findTransition(choices: readonly TransitionChoice[], wanted: string): TransitionChoice | undefined {
  const w = wanted.toLowerCase();
  return (
    choices.find((c) => c.id === wanted) ??
    choices.find((c) => c.name.toLowerCase() === w) ??
    choices.find((c) => c.to.toLowerCase() === w)
  );
}

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
