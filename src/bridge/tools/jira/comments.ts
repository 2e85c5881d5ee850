// Jira comments (toolset jira_comments): add and edit, Markdown in.
import type { Json } from '../../../atlassian/jira';
import { commentView, shortDate } from '../../format';
import { p } from '../../schema';
import type { ToolDef } from '../../tooling';
import { ISSUE_KEY, issueFor, attempt, richInput } from './shared';

export const jiraAddComment: ToolDef = {
  name: 'jira_add_comment',
  title: 'Comment on Jira issue',
  description:
    'Comment on a Jira issue in Markdown (code blocks, lists, links): post an update, a finding, a question or a pull request link. `visibility` restricts it to a role or group.',
  toolset: 'jira_comments',
  core: true,
  product: 'jira',
  write: true,
  params: {
    issue_key: ISSUE_KEY,
    body: p.str('Markdown'),
    visibility: p.obj('Restrict to a role or group: {"type":"role","value":"Developers"}'),
  },
  required: ['issue_key', 'body'],
  async run(args, ctx) {
    const { site, jira, key } = await issueFor(ctx, args);
    const body = await richInput(jira, args.body, 'body');
    const comment = await attempt(`Issue ${key}`, () =>
      jira.addComment(key, body, args.visibility as Json | undefined, ctx.signal),
    );
    return {
      id: comment.id,
      issue: key,
      created: shortDate(comment.created),
      url: `${site.browseUrl(key)}?focusedCommentId=${String(comment.id)}`,
    };
  },
};

export const jiraEditComment: ToolDef = {
  name: 'jira_edit_comment',
  title: 'Edit Jira comment',
  description: 'Replace the text of an existing Jira comment (Markdown); comment ids come from jira_get_issue.',
  toolset: 'jira_comments',
  product: 'jira',
  write: true,
  destructive: true,
  idempotent: true,
  params: { issue_key: ISSUE_KEY, comment_id: p.str(), body: p.str('Markdown') },
  required: ['issue_key', 'comment_id', 'body'],
  async run(args, ctx) {
    const { jira, key } = await issueFor(ctx, args);
    const body = await richInput(jira, args.body, 'body');
    const comment = await attempt(`Comment ${String(args.comment_id)} on ${key}`, () =>
      jira.editComment(key, String(args.comment_id), body, ctx.signal),
    );
    return commentView(comment, jira.flavour);
  },
};
