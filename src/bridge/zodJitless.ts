// zod compiles a parser for each object schema with `new Function` the first time it parses. Code made
// that way is compiled again on every start (V8's code cache holds only the bundle's own code), and the
// bridge answers few requests per schema: jitless, a start to the first response takes about 4 ms less
// CPU (a CPU profile of dist/bridge.js; 1–3% of the wall time in bench/). Imported first by main.ts: zod
// reads the setting as it builds a schema, and the SDK builds its schemas as it loads.
import { config } from 'zod/v4/core';

config({ jitless: true });
