import type { BuildOptions } from 'esbuild';

/** esbuild options for bridge.js and bridge-content.js in `outdir`, on top of `common`. */
export declare function bridgeBuilds(common: BuildOptions, outdir: string): BuildOptions[];
