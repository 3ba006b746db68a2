/**
 * The Node.js flags the gateway process is started with (`npm start`, and every benchmark that
 * runs the ledger or the gateway). A submit allocates a few hundred short-lived objects (proposal,
 * read/write set, record JSON, LevelDB batch); with V8's default young generation they are
 * scavenged several hundred times a second and many survive one scavenge only because their block
 * had not been cut yet. A 32 MiB semi-space lets them die young: measured on the 2-core
 * development machine, CPU per embedded submit 254 → 226 µs (median of five interleaved runs),
 * docs/benchmarks.md. The package scripts repeat this list; test/architecture/node-flags.test.ts
 * checks they agree.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
