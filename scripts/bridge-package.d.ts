/** Builds the bridge npm package (packages/bridge) into `out` (default packages/bridge); resolves to `out`. */
export function buildBridgePackage(out?: string): Promise<string>;
