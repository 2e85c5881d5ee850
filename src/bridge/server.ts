// The MCP server agents talk to, on the SDK's low-level Server: tools/list and tools/call over a
// fixed table of tools (plain JSON Schemas, no per-request schema conversion), which keeps startup
// and each call cheap. The same factory serves both MCP eras: 2026-07-28 (server/discover, the
// per-request _meta envelope) and the 2025 initialize handshake. One instance per stdio connection,
// or per HTTP request.
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  PROTOCOL_VERSION_META_KEY,
  Server,
  type ClientCapabilities,
  type McpServerFactory,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { AuditOutcome } from '../core/auditLog';
import type { SecretRedactor } from '../core/redact';
import { createdOf, errorKind, targetsOf, type AuditSink } from './audit';
import type { BridgeConfig } from './config';
import { CONFIRM_ARGUMENT, consentQuestion } from './consent';
import { InputError, validate } from './schema';
import { resolveSite, type Site, type SiteDirectory } from './sites';
import {
  confirm,
  errorResult,
  InputNeeded,
  paramsOf,
  redactResult,
  refusal,
  runTool,
  selectTools,
  toolSchema,
  type ElicitationRequest,
  type ToolContext,
  type ToolDef,
  type ToolResult,
} from './tooling';
import { ALL_TOOLS } from './tools';
import { appMeta } from './apps/issueCard';
import type { CompletionHost } from './resources/completions';
import { registerResourceHandlers, RESOURCE_CAPABILITIES } from './resources/handlers';
import { resourceLinks } from './resources/links';

export const BRIDGE_NAME = 'atlassian-mcp-bridge';

export interface BridgeDeps {
  readonly config: BridgeConfig;
  readonly directory: SiteDirectory;
  /** Receives unexpected (non-Atlassian, non-input) failures for the log. */
  readonly onInternalError?: (tool: string, err: unknown) => void;
  /** Knows the credentials of this process (and request): every tool result passes it. */
  readonly redactor?: SecretRedactor;
  /** Told how each tools/call ended (the team server's metrics): the error is the failure behind an isError result. */
  readonly onToolCall?: (tool: string, seconds: number, error?: unknown) => void;
  /** The tool table; ALL_TOOLS unless a test brings its own. */
  readonly tools?: readonly ToolDef[];
  /** Receives an entry for every call of a write tool (ATLASSIAN_AUDIT_LOG). */
  readonly audit?: AuditSink;
  /** Who is calling, for the audit log: the team server's signed-in person (account id). */
  readonly person?: string;
}

/** The person's confirmation is needed and this client cannot ask for it (audited as `unconfirmed`). */
class UnconfirmedError extends InputError {}

const INSTRUCTIONS =
  'Jira and Confluence tools. Text is Markdown in and out. When several sites are connected, pass `site` (see atlassian_list_sites). ' +
  'Sign in with "Connect Atlassian" in VS Code, or set JIRA_URL and credentials when running standalone.';

interface Listing {
  readonly tools: readonly ToolDef[];
  readonly names: Set<string>;
  readonly listing: Record<string, unknown>[];
}

/** tools/list of one tool table and configuration, built once: it never changes while the bridge runs. */
const listings = new WeakMap<readonly ToolDef[], WeakMap<BridgeConfig, Listing>>();

function listingFor(all: readonly ToolDef[], config: BridgeConfig): Listing {
  let byConfig = listings.get(all);
  if (!byConfig) listings.set(all, (byConfig = new WeakMap()));
  let entry = byConfig.get(config);
  if (!entry) {
    const tools = selectTools(all, config);
    const listing = tools.map((tool) => {
      const meta = appMeta(tool.name);
      return meta ? { ...toolSchema(tool), _meta: meta } : toolSchema(tool);
    });
    entry = { tools, names: new Set(tools.map((t) => t.name)), listing };
    byConfig.set(config, entry);
  }
  return entry;
}

/** The factory both serving entries (serveStdio, createMcpHandler) call for a fresh instance. */
export function bridgeServerFactory(version: string, deps: BridgeDeps): McpServerFactory {
  return () => createBridgeServer(version, deps);
}

export function createBridgeServer(version: string, deps: BridgeDeps): Server {
  const all = deps.tools ?? ALL_TOOLS;
  const server = new Server(
    { name: BRIDGE_NAME, title: 'Atlassian MCP Bridge', version },
    { capabilities: { tools: {}, ...RESOURCE_CAPABILITIES }, instructions: INSTRUCTIONS },
  );
  const host: CompletionHost = {
    config: deps.config,
    directory: deps.directory,
    redactor: deps.redactor,
    tool: (name) => (listingFor(all, deps.config).names.has(name) ? all.find((t) => t.name === name) : undefined),
    readTool: (name) => all.find((t) => t.name === name && !t.write),
  };
  registerResourceHandlers(server, host);

  server.setRequestHandler('tools/list', () => ({ tools: listingFor(all, deps.config).listing as never }));

  // ToolResult is the wire shape with looser content typing, hence the cast.
  server.setRequestHandler('tools/call', async (request, extra) => {
    const started = performance.now();
    let failure: unknown;
    const result = await call(request.params, extra, (err) => (failure = err));
    deps.onToolCall?.(request.params.name, (performance.now() - started) / 1000, failure);
    return redactResult(result, deps.redactor) as never;
  });

  async function call(
    params: { name: string; arguments?: Record<string, unknown> },
    extra: ServerContext,
    failed: (err: unknown) => void,
  ) {
    const { name, arguments: rawArgs } = params;
    const { names } = listingFor(all, deps.config);
    const tool = all.find((t) => t.name === name);
    const refused = refusal(tool, name, names, deps.config);
    if (refused || !tool) {
      const err = new InputError(refused ?? `Unknown tool "${name}".`);
      failed(err);
      return errorResult(err);
    }
    const ctx: ToolContext = {
      config: deps.config,
      directory: deps.directory,
      signal: extra.mcpReq.signal,
      elicit: elicitor(server, extra),
    };
    const started = performance.now();
    let args: Record<string, unknown> = rawArgs ?? {};
    let site: Site | undefined;
    const audit = async (outcome: AuditOutcome, details: { error?: string; created?: string } = {}) => {
      if (!tool.write || !deps.audit) return;
      await deps.audit
        .append({
          time: new Date().toISOString(),
          tool: name,
          outcome,
          ...details,
          durationMs: Math.round(performance.now() - started),
          site: site?.name,
          siteUrl: site?.spec.url,
          person: deps.person,
          targets: targetsOf(args),
        })
        .catch((err: unknown) => deps.onInternalError?.('audit log', err));
    };
    try {
      args = validate(rawArgs, paramsOf(tool), tool.required ?? []);
      if (tool.write) {
        // The site the tool will pick (same rule): named in the question and the audit entry.
        site = await resolveSite(ctx.directory, args.site as string | undefined, productOf(tool), ctx.signal);
        const question = consentQuestion(name, args, { name: site.name, url: site.spec.url });
        if (question && !consented(question, args, ctx, server, extra)) {
          await audit('declined');
          return declinedResult(question);
        }
      }
      const checked = args;
      const result = await runTool(tool, args, ctx, (output) => resourceLinks(host, name, checked, output, ctx));
      await audit('ok', { created: createdOf(name, firstText(result)) });
      const meta = appMeta(name);
      return meta ? { ...result, _meta: meta } : result;
    } catch (err) {
      // The SDK delivers the question in either era: an input_required result to a 2026-07-28
      // client, a server-initiated elicitation/create (then a second run) on a 2025 connection.
      if (err instanceof InputNeeded)
        return inputRequired({
          inputRequests: {
            [err.key]: inputRequired.elicit({
              message: err.request.message,
              requestedSchema: err.request.requestedSchema as never,
            }),
          },
        });
      await audit(err instanceof UnconfirmedError ? 'unconfirmed' : 'error', {
        error: err instanceof UnconfirmedError ? undefined : errorKind(err),
      });
      if (!(err instanceof Error) || !['InputError', 'AtlassianError', 'SignInAgainError'].includes(err.name))
        deps.onInternalError?.(name, err);
      failed(err);
      return errorResult(err, deps.directory.connectHint);
    }
  }
  return server;
}

function productOf(tool: ToolDef): 'jira' | 'confluence' | undefined {
  return tool.product === 'atlassian' ? undefined : tool.product;
}

function firstText(result: ToolResult): string | undefined {
  const first = result.content[0];
  return typeof first?.text === 'string' ? first.text : undefined;
}

/**
 * Whether the person agreed: asked through the client where it can ask (the model's `confirm`
 * does not count then), else the model's `confirm: true` after it asked them itself.
 */
function consented(
  question: string,
  args: Record<string, unknown>,
  ctx: ToolContext,
  server: Server,
  extra: ServerContext,
): boolean {
  if (formElicitation(clientCapabilities(server, extra))) return confirm(ctx, question);
  if (args[CONFIRM_ARGUMENT] === true) return true;
  throw new UnconfirmedError(
    `Not done: "${question}" needs the person's confirmation, and this MCP client cannot ask them. ` +
      'Nothing was changed. Ask the person whether to do exactly this; only if they agree, call again with the same arguments and `confirm: true`.',
  );
}

function declinedResult(question: string): ToolResult {
  return {
    content: [
      {
        type: 'text',
        text: `Not done: the person declined "${question}". Nothing was changed and nothing was sent to Atlassian.`,
      },
    ],
  };
}

/**
 * `ctx.elicit` for one request: the answer when this run carries it, else a question when the
 * client declared it can ask the person (per request in 2026-07-28, at initialize in 2025), else a
 * refusal that tells the model what to do instead. Stateless 2025 HTTP requests never initialized,
 * so they cannot be asked anything.
 */
function elicitor(server: Server, extra: ServerContext): NonNullable<ToolContext['elicit']> {
  return (key, request) => {
    const answer = inputResponse(extra.mcpReq.inputResponses, key);
    if (answer.kind === 'elicit')
      return answer.action === 'accept'
        ? { action: 'accept', content: answer.content ?? {} }
        : { action: answer.action };
    if (!formElicitation(clientCapabilities(server, extra))) throw new InputError(unavailableText(request));
    throw new InputNeeded(key, request);
  };
}

function clientCapabilities(server: Server, extra: ServerContext): ClientCapabilities | undefined {
  const envelope = extra.mcpReq.envelope as Record<string, unknown> | undefined;
  if (envelope?.[PROTOCOL_VERSION_META_KEY] !== undefined)
    return envelope[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined;
  // The 2025 era declares them once, at initialize.
  return server.getClientCapabilities();
}

/** A bare `elicitation: {}` means form support (the rule before modes existed). */
function formElicitation(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation as Record<string, unknown> | undefined;
  if (!elicitation) return false;
  return Object.keys(elicitation).length === 0 || elicitation.form !== undefined;
}

function unavailableText(request: ElicitationRequest): string {
  return (
    `Not done: "${request.message}" needs an answer from the person, and this MCP client cannot ask it ` +
    '(it declared no elicitation support, or this is a stateless request that cannot be asked anything). ' +
    (request.unavailable ?? 'Ask the person yourself, then use a client that supports elicitation.')
  );
}
