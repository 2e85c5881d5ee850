// The MCP server agents talk to, on the SDK's low-level Server: tools/list and tools/call over a
// fixed table of tools (plain JSON Schemas, no per-request schema conversion), which keeps startup
// and each call cheap. One instance per stdio session, or per HTTP request.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { BridgeConfig } from './config';
import { InputError, validate } from './schema';
import type { SiteDirectory } from './sites';
import { errorResult, refusal, runTool, selectTools, SITE_PARAM, toolSchema, type ToolDef } from './tooling';
import { ALL_TOOLS } from './tools';

export const BRIDGE_NAME = 'atlassian-mcp-bridge';

export interface BridgeDeps {
  readonly config: BridgeConfig;
  readonly directory: SiteDirectory;
  /** Receives unexpected (non-Atlassian, non-input) failures for the log. */
  readonly onInternalError?: (tool: string, err: unknown) => void;
}

/** tools/list of one configuration, built once: it never changes while the bridge runs. */
const listings = new WeakMap<
  BridgeConfig,
  { tools: ToolDef[]; names: Set<string>; listing: Record<string, unknown>[] }
>();

function listingFor(config: BridgeConfig) {
  let entry = listings.get(config);
  if (!entry) {
    const tools = selectTools(ALL_TOOLS, config);
    entry = { tools, names: new Set(tools.map((t) => t.name)), listing: tools.map(toolSchema) };
    listings.set(config, entry);
  }
  return entry;
}

export function createBridgeServer(version: string, deps: BridgeDeps): Server {
  const server = new Server(
    { name: BRIDGE_NAME, title: 'Atlassian MCP Bridge', version },
    {
      capabilities: { tools: {} },
      instructions:
        'Jira and Confluence tools. Text is Markdown in and out. When several sites are connected, pass `site` (see atlassian_list_sites). ' +
        'Sign in with "Connect Atlassian" in VS Code, or set JIRA_URL and credentials when running standalone.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listingFor(deps.config).listing }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: rawArgs } = request.params;
    const { names } = listingFor(deps.config);
    const tool = ALL_TOOLS.find((t) => t.name === name);
    const refused = refusal(tool, name, names, deps.config);
    if (refused || !tool) return errorResult(new InputError(refused ?? `Unknown tool "${name}".`));
    const ctx = { config: deps.config, directory: deps.directory, signal: extra.signal };
    try {
      const args = validate(rawArgs, { ...tool.params, site: SITE_PARAM }, tool.required ?? []);
      return await runTool(tool, args, ctx);
    } catch (err) {
      if (!(err instanceof Error) || (err.name !== 'InputError' && err.name !== 'AtlassianError'))
        deps.onInternalError?.(name, err);
      return errorResult(err, deps.directory.connectHint);
    }
  });
  return server;
}
