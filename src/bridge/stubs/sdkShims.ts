// Stand-in for `@modelcontextprotocol/server/_shims` in the bridge bundle (esbuild.js aliases it).
// The SDK's Node shim brings its own bundled Ajv (~150 KB) as the default JSON Schema validator,
// used only for tool output schemas and schema-validated elicitation answers; the bridge declares
// no output schemas and its tools check elicitation answers themselves (`ctx.elicit`). If anything
// ever asks for a validator, this fails loudly instead of accepting data unchecked.
import process from 'node:process';

export class DefaultJsonSchemaValidator {
  getValidator(): never {
    throw new Error('JSON Schema validation (ajv) is not bundled in this build.');
  }
}

export { process };
