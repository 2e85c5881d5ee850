// The floor under any Node MCP server: Node itself booting, answering initialize with no SDK at
// all. Startup ratios are read against it (no server on this Node can start faster).
process.stdin.once('data', (chunk: Buffer) => {
  const { id } = JSON.parse(chunk.toString('utf8').split('\n')[0]!) as { id: number };
  const result = {
    protocolVersion: '2025-06-18',
    capabilities: {},
    serverInfo: { name: 'bench-floor', version: '1.0.0' },
  };
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
});
process.stdin.on('data', () => undefined); // Keep reading (initialized notification) until stdin ends.
process.stdin.on('end', () => process.exit(0));
