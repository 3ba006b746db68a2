import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../../gateway-api/src/node-flags';
import { REPO_ROOT } from './source-imports';

const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('the Node.js flags the gateway runs with', () => {
  for (const name of ['start', 'bench', 'bench:domain', 'bench:scale']) {
    it(`npm run ${name} starts node with every flag of GATEWAY_NODE_FLAGS`, () => {
      const command = scripts[name] ?? '';
      const node =
        command
          .split('&&')
          .map((s) => s.trim())
          .find((s) => s.startsWith('node ')) ?? '';
      for (const flag of GATEWAY_NODE_FLAGS) expect(node.split(/\s+/), `${name}: ${command}`).to.include(flag);
    });
  }

  it('this Node.js accepts them', () => {
    const r = spawnSync(process.execPath, [...GATEWAY_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });
});
