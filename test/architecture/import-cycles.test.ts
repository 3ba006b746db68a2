import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { importsOf, REPO_ROOT, sourceFiles } from './source-imports';

type Graph = ReadonlyMap<string, readonly string[]>;

/** The first import cycle found in `graph`, as the chain of files that closes it, or undefined. */
function findCycle(graph: Graph): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (node: string): string[] | undefined => {
    const at = onPath.indexOf(node);
    if (at >= 0) return [...onPath.slice(at), node];
    if (done.has(node)) return undefined;
    onPath.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The file a relative specifier names (./x → x.ts or x/index.ts), or undefined for packages. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
}

describe('gateway: no import cycle among gateway-api/src files', () => {
  it('the cycle finder finds a cycle where there is one, and none where there is none', () => {
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).to.deep.equal(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).to.equal(undefined);
  });

  it('no file of gateway-api/src reaches itself through its imports (type-only imports included)', () => {
    const src = path.join(REPO_ROOT, 'gateway-api/src');
    const graph = new Map<string, string[]>();
    for (const file of sourceFiles('gateway-api/src', ['.ts'])) {
      const local = importsOf(file)
        .map((s) => resolveRelative(file, s))
        .filter((f): f is string => f !== undefined && f.startsWith(src));
      graph.set(
        path.relative(src, file),
        local.map((f) => path.relative(src, f)),
      );
    }
    // The walk sees the real graph: the app module imports its routes.
    expect(graph.get('app.ts')).to.include.members(['routes/blacklist.ts', 'routes/query-trail.ts']);
    expect(findCycle(graph)?.join(' → ') ?? 'none', 'an import cycle').to.equal('none');
  });
});
