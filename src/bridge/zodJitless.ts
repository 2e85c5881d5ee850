// zod compiles a parser for each object schema with `new Function` the first time it parses. Code made
// that way is compiled again on every start (V8's code cache holds only the bundle's own code), and the
// bridge answers few requests per schema: in bench/, reading the MCP SDK's schemas jitless makes the
// first response ~5 ms sooner. Imported first by main.ts: zod reads the setting as it builds a schema,
// and the SDK builds its schemas as it loads.
import { config } from 'zod/v4/core';

config({ jitless: true });
