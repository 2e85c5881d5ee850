// Every tool in ALL_TOOLS (whoever added it) carries honest MCP hints: all three of readOnlyHint,
// destructiveHint and idempotentHint, read-only exactly when read-only mode keeps the tool (Plan and
// Ask modes offer only those), and names that promise a read or a removal kept to that promise.
// The default toolset stays small enough for VS Code to send in full.
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/bridge/config';
import { refusal, selectTools, toolSchema, type ToolDef } from '../../../src/bridge/tooling';
import { ALL_TOOLS } from '../../../src/bridge/tools';
import { DEFAULT_TOOLS } from './defaultTools';

type Hints = { readOnlyHint?: unknown; destructiveHint?: unknown; idempotentHint?: unknown };

const hintsOf = (tool: ToolDef) => toolSchema(tool).annotations as Hints;

/** Names that say "this only reads". */
const READ_NAME = /^[a-z]+_(get|search|list|download|check)_/;
/** Names that say "this takes something away". */
const REMOVAL_NAME = /^[a-z]+_(delete|remove)_/;

/** VS Code sends about 30 tools in full; ours must not crowd out its own. */
const MAX_DEFAULT_TOOLS = 25;
/** The bench's tools_list_bytes goal: the default toolset's tools/list result, compact JSON. */
const MAX_DEFAULT_TOOLS_LIST_BYTES = 20 * 1024;

describe('tool hints: every tool, read-only mode and Plan/Ask modes agree', () => {
  const all = selectTools(ALL_TOOLS, loadConfig({ TOOLSETS: 'all' }, []));
  const readOnlyConfig = loadConfig({ TOOLSETS: 'all', READ_ONLY_MODE: 'true' }, []);
  const keptReadOnly = new Set(selectTools(ALL_TOOLS, readOnlyConfig).map((t) => t.name));

  it('TOOLSETS=all lists every tool of ALL_TOOLS, once', () => {
    assert.deepEqual(
      all.map((t) => t.name),
      ALL_TOOLS.map((t) => t.name),
    );
    assert.equal(new Set(ALL_TOOLS.map((t) => t.name)).size, ALL_TOOLS.length);
  });

  for (const tool of ALL_TOOLS) {
    it(`${tool.name}: three boolean hints, read-only exactly when read-only mode keeps it`, () => {
      const hints = hintsOf(tool);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint'] as const)
        assert.equal(typeof hints[hint], 'boolean', `${tool.name} has no ${hint}`);
      assert.equal(hints.readOnlyHint, keptReadOnly.has(tool.name), 'readOnlyHint ⇔ kept in read-only mode');
      assert.equal(hints.readOnlyHint, !tool.write);
      if (hints.readOnlyHint) {
        assert.deepEqual(hints, { readOnlyHint: true, destructiveHint: false, idempotentHint: true });
        assert.equal(refusal(tool, tool.name, keptReadOnly, readOnlyConfig), undefined);
      } else {
        assert.match(String(refusal(tool, tool.name, keptReadOnly, readOnlyConfig)), /read-only mode/);
      }
      if (READ_NAME.test(tool.name)) assert.equal(hints.readOnlyHint, true, `${tool.name} reads, by its name`);
      if (REMOVAL_NAME.test(tool.name))
        assert.deepEqual([hints.readOnlyHint, hints.destructiveHint], [false, true], `${tool.name} removes something`);
    });
  }

  it(`the default toolset: at most ${MAX_DEFAULT_TOOLS} tools, tools/list within ${MAX_DEFAULT_TOOLS_LIST_BYTES} bytes`, () => {
    const defaults = selectTools(ALL_TOOLS, loadConfig({}, []));
    assert.deepEqual(defaults.map((t) => t.name).sort(), [...DEFAULT_TOOLS].sort());
    assert.ok(defaults.length <= MAX_DEFAULT_TOOLS, `${defaults.length} tools by default`);
    const bytes = Buffer.byteLength(JSON.stringify({ tools: defaults.map(toolSchema) }));
    assert.ok(bytes <= MAX_DEFAULT_TOOLS_LIST_BYTES, `tools/list of the default toolset is ${bytes} bytes`);
  });
});
