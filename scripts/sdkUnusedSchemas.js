// The MCP SDK builds all its public zod schemas (~180: the spec's types and OAuth's metadata) as it
// loads, and registers each under its type name (`specTypeSchemas`, `isSpecType`), which keeps them all
// in any bundle. The bridge uses about 45 of them; building the rest took about 9 ms of each start
// with their garbage collection (bench/: the median start went from about 142 to 133 ms).
//
// This plugin lets esbuild drop the ones nothing uses, without changing any that remain:
// - in the SDK's own files, a top-level constant built from zod (`z.object(…)`, or from such a
//   constant: `Base.extend(…)`) is marked free of side effects, so esbuild leaves it out when unused;
// - the registry's two loops go, so the registry no longer uses every schema. The bridge reads
//   neither `specTypeSchemas` nor `isSpecType` (test/unit/bridge/bundle.test.ts checks both, and that
//   the unused schemas stay out).
// Each step checks that it finds what it expects and fails the build otherwise: a new SDK release
// must be looked at, not bundled half-changed.
const { readFileSync } = require('node:fs');
const acorn = require('acorn');

/** The identifier a call or property chain starts from: `z` in `z.object({}).extend({})`. */
function chainRoot(node) {
  for (;;) {
    if (node.type === 'CallExpression') node = node.callee;
    else if (node.type === 'MemberExpression') node = node.object;
    else return node.type === 'Identifier' ? node.name : undefined;
  }
}

/** Top-level `const X = <call chain from zod or an earlier such X>`: the spans of the initialisers. */
function schemaInitialisers(program, code, zod) {
  const schemas = new Set([zod]);
  const spans = [];
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'const') continue;
    for (const { id, init } of statement.declarations) {
      if (id.type !== 'Identifier' || init?.type !== 'CallExpression' || !schemas.has(chainRoot(init))) continue;
      schemas.add(id.name);
      spans.push({
        start: init.start,
        end: init.end,
        replacement: `/* @__PURE__ */ (() => ${code.slice(init.start, init.end)})()`,
      });
    }
  }
  return spans;
}

/** `for (… of SPEC_SCHEMA_KEYS) register(…)` and `for (… of Object.entries(authSchemas)) register(…)`. */
function registryLoops(program, code) {
  const text = (node) => code.slice(node.start, node.end);
  return program.body
    .filter((s) => s.type === 'ForOfStatement')
    .filter(
      (s) =>
        /^register\(/.test(text(s.body)) && /^(SPEC_SCHEMA_KEYS|Object\.entries\(authSchemas\))$/.test(text(s.right)),
    )
    .map((s) => ({ start: s.start, end: s.end, replacement: '' }));
}

function rewrite(code, file) {
  const zod = /^import \* as (\w+) from "zod\/v4";$/m.exec(code)?.[1];
  const registry = code.includes('SPEC_SCHEMA_KEYS');
  // Most of the SDK's files build no schema and hold no registry: they are bundled as they are.
  if (!zod && !registry) return { code, schemas: 0 };
  const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const spans = zod ? schemaInitialisers(program, code, zod) : [];
  if (registry) {
    const loops = registryLoops(program, code);
    if (loops.length !== 2) {
      throw new Error(
        `${file}: expected the SDK's two spec-type registry loops, found ${loops.length} (scripts/sdkUnusedSchemas.js)`,
      );
    }
    spans.push(...loops);
  }
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end, replacement } of spans) {
    out += code.slice(at, start) + replacement;
    at = end;
  }
  return { code: out + code.slice(at), schemas: spans.filter((s) => s.replacement).length };
}

const SDK_FILE = /[\\/]node_modules[\\/]@modelcontextprotocol[\\/](core|server)[\\/]dist[\\/][^\\/]+\.mjs$/;

const sdkUnusedSchemas = {
  name: 'sdk-unused-schemas',
  setup(build) {
    let schemas = 0;
    build.onStart(() => {
      schemas = 0;
    });
    build.onLoad({ filter: SDK_FILE }, (args) => {
      const result = rewrite(readFileSync(args.path, 'utf8'), args.path);
      schemas += result.schemas;
      return { contents: result.code, loader: 'js' };
    });
    build.onEnd((result) => {
      if (result.errors.length === 0 && schemas === 0) {
        result.errors.push({
          text: 'sdk-unused-schemas: no zod schema found in the MCP SDK (scripts/sdkUnusedSchemas.js)',
        });
      }
    });
  },
};

module.exports = { sdkUnusedSchemas };
