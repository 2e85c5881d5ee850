// Stand-in for `ajv` in the bridge bundle (esbuild.js aliases it). The SDK's Server
// builds an Ajv instance eagerly but uses it only to validate elicitation answers against a schema,
// which the bridge never asks it to do (its tools read answers through `ctx.elicit` and check them
// themselves); if anything ever does, this fails loudly instead of accepting data unchecked.
export default class Ajv {
  constructor(_options?: unknown) {}
  compile(): never {
    throw new Error('JSON Schema validation (ajv) is not bundled in this build.');
  }
  getSchema(): undefined {
    return undefined;
  }
}
export { Ajv };
