import type { BuildOptions, Plugin } from 'esbuild';

/** Bundle file → the packages it holds, loaded by the bridge on first use. */
export declare const ON_DEMAND: Readonly<Record<string, readonly string[]>>;

/** esbuild options for bridge.js (the launcher), bridge-server.js, the bundles it loads on demand, issue-card.js and team.js in `outdir`, on top of `common`. */
export declare function bridgeBuilds(common: BuildOptions, outdir: string): BuildOptions[];

/** Resolves a dynamic import (or a require in a function) of an ON_DEMAND package to the bundle holding it. */
export declare const librariesOnDemand: Plugin;

/** esbuild.js's `common` with --production, for builds made outside it (the bridge package, the bench). */
export declare function productionOptions(version: string): BuildOptions;
