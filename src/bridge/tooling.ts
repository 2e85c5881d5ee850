// What a tool is, which ones a configuration exposes, and how results and failures reach the model.
import { AtlassianError } from '../atlassian/errors';
import type { ConfluenceApi } from '../atlassian/confluence';
import type { JiraApi } from '../atlassian/jira';
import type { SecretRedactor } from '../core/redact';
import type { BridgeConfig } from './config';
import { NotOnDataCenterError } from '../atlassian/confluenceDc';
import { asksConsent, CONFIRM_ARGUMENT, CONFIRM_PARAM, CONSENT_SENTENCE } from './consent';
import { InputError, jsonSchema, p, type Params } from './schema';
import { resolveSite, type Site, type SiteDirectory } from './sites';

export interface ToolContext {
  readonly config: BridgeConfig;
  readonly directory: SiteDirectory;
  readonly signal: AbortSignal;
  /**
   * Asks the person, through the MCP client, for the fields of `request` (elicitation). The tool
   * is run again from the start when the answer arrives (both MCP eras work that way), so a tool
   * asks before it changes anything. Throws an InputError saying what to do instead when the
   * client cannot ask.
   */
  readonly elicit?: (key: string, request: ElicitationRequest) => ElicitationAnswer;
}

/** A form the client shows the person: a flat JSON Schema object of primitive fields. */
export interface ElicitationRequest {
  readonly message: string;
  readonly requestedSchema: {
    readonly type: 'object';
    readonly properties: Record<string, Record<string, unknown>>;
    readonly required?: string[];
  };
  /** Said to the model when the client cannot ask the person (what to do instead). */
  readonly unavailable?: string;
}

export type ElicitationAnswer =
  { readonly action: 'accept'; readonly content: Record<string, unknown> } | { readonly action: 'decline' | 'cancel' };

/** Thrown by `ctx.elicit` on the round that asks; the server turns it into the era's way to ask. */
export class InputNeeded extends Error {
  constructor(
    readonly key: string,
    readonly request: ElicitationRequest,
  ) {
    super(`Waiting for the person's answer to "${request.message}".`);
    this.name = 'InputNeeded';
  }
}

/** Asks for a yes/no confirmation; true only when the person accepted and confirmed. */
export function confirm(ctx: ToolContext, message: string, unavailable?: string): boolean {
  if (!ctx.elicit)
    throw new InputError(
      `${message} This needs the person's confirmation, and this bridge cannot ask for it here.${unavailable ? ` ${unavailable}` : ''}`,
    );
  const answer = ctx.elicit('confirm', {
    message,
    requestedSchema: {
      type: 'object',
      properties: { confirm: { type: 'boolean', title: 'Confirm', description: message } },
      required: ['confirm'],
    },
    unavailable,
  });
  return answer.action === 'accept' && answer.content.confirm === true;
}

export interface ContentBlock {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A string is sent as is; anything else as compact JSON; blocks for images and files. */
export type ToolOutput = string | Record<string, unknown> | unknown[] | { readonly blocks: ContentBlock[] };

export interface ToolDef {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  /** mcp-atlassian's toolset names, so TOOLSETS values carry over. */
  readonly toolset: string;
  /** Part of the default toolset. */
  readonly core?: boolean;
  readonly product: 'jira' | 'confluence' | 'atlassian';
  /** Changes something in Atlassian (hidden and refused in read-only mode). */
  readonly write?: boolean;
  readonly destructive?: boolean;
  readonly idempotent?: boolean;
  readonly params: Params;
  readonly required?: readonly string[];
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolOutput>;
}

export const SITE_PARAM = p.str('Site name, URL or cloudId; only with several sites');

export interface ToolResult {
  [key: string]: unknown;
  content: ContentBlock[];
  isError?: boolean;
}

/** A tool's arguments as callers see them: its own, `site`, and `confirm` where the person is asked first. */
export function paramsOf(tool: ToolDef): Params {
  return asksConsent(tool.name)
    ? { ...tool.params, site: SITE_PARAM, [CONFIRM_ARGUMENT]: CONFIRM_PARAM }
    : { ...tool.params, site: SITE_PARAM };
}

export function toolSchema(tool: ToolDef): Record<string, unknown> {
  return {
    name: tool.name,
    title: tool.title,
    // How consent works is said once, here, for every tool that asks (src/bridge/consent.ts).
    description: asksConsent(tool.name) ? `${tool.description}${CONSENT_SENTENCE}` : tool.description,
    inputSchema: jsonSchema(paramsOf(tool), tool.required ?? []),
    annotations: toolAnnotations(tool),
  };
}

/**
 * All three hints on every tool, so no client falls back to the spec's defaults (which assume a
 * destructive, non-idempotent writer): Plan and Ask modes offer exactly the tools marked read-only,
 * which are exactly the ones read-only mode keeps. A read changes nothing, so repeating it is harmless.
 */
export function toolAnnotations(tool: ToolDef): {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
} {
  return tool.write
    ? { readOnlyHint: false, destructiveHint: !!tool.destructive, idempotentHint: !!tool.idempotent }
    : { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
}

/** Tools this configuration exposes: TOOLSETS ∩ ENABLED_TOOLS, minus writes in read-only mode. */
export function selectTools(all: readonly ToolDef[], config: BridgeConfig): ToolDef[] {
  const sets = config.toolsets ?? ['default'];
  const wanted = (tool: ToolDef) =>
    sets.some((s) => s === 'all' || s === tool.toolset || (s === 'default' && tool.core) || s === tool.name);
  return all.filter(
    (tool) =>
      wanted(tool) && (!config.enabledTools || config.enabledTools.has(tool.name)) && !(config.readOnly && tool.write),
  );
}

/** Why a tool cannot be called in this configuration, or undefined when it can. */
export function refusal(
  tool: ToolDef | undefined,
  name: string,
  exposed: ReadonlySet<string>,
  config: BridgeConfig,
): string | undefined {
  if (!tool) return `Unknown tool "${name}".`;
  if (config.readOnly && tool.write)
    return `${name} changes data, and this bridge runs in read-only mode (READ_ONLY_MODE).`;
  if (!exposed.has(name)) return `Tool "${name}" is not enabled here (see TOOLSETS / ENABLED_TOOLS).`;
  return undefined;
}

/**
 * Runs a tool and turns its output into content. `extra` adds blocks after it (resource links to
 * what the output names), from the output itself.
 */
export async function runTool(
  tool: ToolDef,
  args: Record<string, unknown>,
  ctx: ToolContext,
  extra?: (output: ToolOutput) => Promise<ContentBlock[]>,
): Promise<ToolResult> {
  const output = await tool.run(args, ctx).catch((err: unknown) => {
    // A Cloud-only operation on Data Center is the caller's choice to change, not a bridge fault.
    throw err instanceof NotOnDataCenterError ? new InputError(err.message) : err;
  });
  const more = extra ? await extra(output) : [];
  if (typeof output === 'string') return { content: [{ type: 'text', text: output }, ...more] };
  if (!Array.isArray(output) && 'blocks' in output && Array.isArray(output.blocks))
    return { content: [...(output.blocks as ContentBlock[]), ...more] };
  return { content: [{ type: 'text', text: JSON.stringify(output) }, ...more] };
}

/**
 * The one way out to the model: no result carries a credential of this process or this request,
 * in any of the forms a site may echo (see credentialSecrets). Only those exact values go: what
 * looks like a credential is left alone, since a site's error ("token expired") or an issue may
 * rightly say so, and a site can only echo what it was sent.
 */
export function redactResult<T extends object>(result: T, redactor: SecretRedactor | undefined): T {
  const { content } = result as Partial<ToolResult>;
  if (!redactor || !Array.isArray(content)) return result;
  return {
    ...result,
    content: content.map((block) =>
      typeof block.text === 'string' ? { ...block, text: redactor.redactKnown(block.text) } : block,
    ),
  };
}

/** Every failure becomes an isError result saying what happened and what to do next. */
export function errorResult(err: unknown, hint?: string): ToolResult {
  return { content: [{ type: 'text', text: errorText(err, hint) }], isError: true };
}

function errorText(err: unknown, hint: string | undefined): string {
  // Atlassian's own sentences end in a full stop before ours adds another.
  return describeError(err, hint).replace(/\.\.(?=\s|$)/g, '.');
}

function describeError(err: unknown, hint: string | undefined): string {
  if (err instanceof InputError) return err.message;
  if (err instanceof AtlassianError) {
    switch (err.kind) {
      case 'unauthorized':
        return `${err.message}${hint ? ` ${hint}` : ''}`;
      case 'gone':
        return `${err.message} This bridge version uses an API Atlassian has removed; update the bridge.`;
      case 'rateLimited':
        // Writes, and waits longer than the bridge's own bound, are not repeated automatically.
        return err.retries > 0
          ? `${err.message} The bridge already retried with backoff; wait before calling again.`
          : `${err.message} Wait before calling again.`;
      case 'badRequest':
      case 'conflict':
        return `${err.message} Fix the arguments and call again.`;
      default:
        return err.message;
    }
  }
  // The team server's vault: the person's Atlassian sign-in ended (its message says what to do).
  if (err instanceof Error && err.name === 'SignInAgainError') return err.message;
  return `Internal error in the bridge: ${err instanceof Error ? err.message : String(err)}`;
}

export async function jiraFor(ctx: ToolContext, args: Record<string, unknown>): Promise<{ site: Site; jira: JiraApi }> {
  const site = await resolveSite(ctx.directory, args.site as string | undefined, 'jira', ctx.signal);
  return { site, jira: await site.jira(ctx.signal) };
}

export async function confluenceFor(
  ctx: ToolContext,
  args: Record<string, unknown>,
): Promise<{ site: Site; confluence: ConfluenceApi }> {
  const site = await resolveSite(ctx.directory, args.site as string | undefined, 'confluence', ctx.signal);
  return { site, confluence: await site.confluence(ctx.signal) };
}

/** Opaque pagination cursors: callers pass them back unchanged and never build them. */
export function encodeCursor(state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, argument: string): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const state: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (state && typeof state === 'object' && !Array.isArray(state)) return state as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InputError(
    `Invalid argument \`${argument}\`: not a cursor this bridge returned. Pass the value of next_cursor from the previous result unchanged.`,
  );
}
