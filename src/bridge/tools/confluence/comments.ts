// Confluence footer comments and replies (toolset confluence_comments).
import type { Json } from '../../../atlassian/jira';
import { prune, shortDate } from '../../format';
import { InputError, p } from '../../schema';
import { confluenceFor, decodeCursor, encodeCursor, type ToolDef } from '../../tooling';
import {
  PAGE_ID,
  attempt,
  pageIdFrom,
  spaceKeyOf,
  allowSpace,
  readPage,
  bodyOf,
  writeBody,
  displayNames,
} from './shared';
import { textOf } from '../../../core/text';

export const confluenceAddComment: ToolDef = {
  name: 'confluence_add_comment',
  title: 'Comment on Confluence page',
  description: 'Add a footer comment (Markdown) to a Confluence page.',
  toolset: 'confluence_comments',
  core: true,
  product: 'confluence',
  write: true,
  params: { page_id: PAGE_ID, body: p.str('Markdown') },
  required: ['page_id', 'body'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    await readPage(ctx, confluence, id, undefined);
    const comment = await attempt(`Page ${id}`, async () =>
      confluence.addFooterComment(id, await writeBody(args.body, 'markdown', 'body', confluence.flavour), ctx.signal),
    );
    return prune({
      id: comment.id,
      page_id: id,
      created: shortDate((comment.version as Json | undefined)?.createdAt),
    });
  },
};

export const confluenceGetComments: ToolDef = {
  name: 'confluence_get_comments',
  title: 'Get Confluence comments',
  description:
    'Read the footer comments of a Confluence page (the discussion under it), as Markdown with author names.',
  toolset: 'confluence_comments',
  core: true,
  product: 'confluence',
  params: {
    page_id: PAGE_ID,
    limit: p.int('Comments per page (default 25)', 1, 100),
    page_token: p.str('next_page_token from the previous page'),
  },
  required: ['page_id'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const id = pageIdFrom(String(args.page_id), 'page_id');
    await readPage(ctx, confluence, id, undefined);
    const cursor = decodeCursor(args.page_token as string | undefined, 'page_token');
    const page = await attempt(`Page ${id}`, () =>
      confluence.footerComments(id, {
        limit: (args.limit as number | undefined) ?? 25,
        cursor: cursor?.c as string | undefined,
        bodyFormat: 'atlas_doc_format',
        signal: ctx.signal,
      }),
    );
    const authorOf = (c: Json) => ((c.version as Json | undefined) ?? {}).authorId;
    const names = await displayNames(confluence, page.results.map(authorOf), ctx.signal);
    return prune({
      comments: await Promise.all(
        page.results.map(async (c) => {
          const version = (c.version as Json | undefined) ?? {};
          const authorId = authorOf(c) as string | undefined;
          return prune({
            id: c.id,
            author: authorId === undefined ? undefined : (names.get(authorId) ?? authorId),
            author_id: authorId,
            created: shortDate(version.createdAt),
            body: await bodyOf(c, 'markdown'),
          });
        }),
      ),
      next_page_token: page.cursor ? encodeCursor({ c: page.cursor }) : undefined,
    });
  },
};

export const confluenceReplyToComment: ToolDef = {
  name: 'confluence_reply_to_comment',
  title: 'Reply to Confluence comment',
  description:
    'Reply (Markdown) in the thread of a Confluence footer comment; comment ids come from confluence_get_comments.',
  toolset: 'confluence_comments',
  product: 'confluence',
  write: true,
  params: { comment_id: p.str('Id of the footer comment to reply to'), body: p.str('Markdown') },
  required: ['comment_id', 'body'],
  async run(args, ctx) {
    const { confluence } = await confluenceFor(ctx, args);
    const commentId = String(args.comment_id).trim();
    if (!/^\d+$/.test(commentId))
      throw new InputError(`Invalid argument \`comment_id\`: expected a comment id (digits), got "${commentId}".`);
    const parent = await attempt(`Footer comment ${commentId}`, () => confluence.footerComment(commentId, ctx.signal));
    if (parent.pageId !== undefined) await readPage(ctx, confluence, textOf(parent.pageId), undefined);
    else if (parent.blogPostId !== undefined) {
      const post = await attempt(`Blog post ${textOf(parent.blogPostId)}`, () =>
        confluence.blogPost(String(parent.blogPostId), ctx.signal),
      );
      allowSpace(
        ctx,
        post.spaceId !== undefined ? await spaceKeyOf(confluence, textOf(post.spaceId), ctx.signal) : undefined,
        `Blog post ${textOf(parent.blogPostId)}`,
      );
    } else allowSpace(ctx, undefined, `Comment ${commentId}`);
    const body = await writeBody(args.body, 'markdown', 'body', confluence.flavour);
    const reply = await attempt(`Footer comment ${commentId}`, () =>
      confluence.replyToFooterComment(commentId, body, ctx.signal),
    );
    return prune({
      id: reply.id,
      parent_comment_id: commentId,
      page_id: parent.pageId,
      blog_post_id: parent.blogPostId,
      created: shortDate((reply.version as Json | undefined)?.createdAt),
    });
  },
};
