import type { BuildOptions } from 'esbuild';

/** esbuild options for bridge.js, bridge-content.js, issue-card.js and team.js in `outdir`, on top of `common`. */
export declare function bridgeBuilds(common: BuildOptions, outdir: string): BuildOptions[];
