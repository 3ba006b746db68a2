import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveControl } from '../../gateway-api/src/backup/control-socket';

describe('backup control socket: one that cannot be opened', () => {
  it('is said and left: the process goes on (an uncaught listen error stopped the whole gateway)', async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'cl-control-'));
    try {
      const messages: string[] = [];
      // A data folder that does not exist: the socket cannot be bound there.
      const server = serveControl(
        path.join(parent, 'missing', 'folder'),
        () => Promise.reject(new Error('not called')),
        (m) => messages.push(m),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(server.listening).to.equal(false);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.match(/control socket .*control\.sock could not be opened \(listen E[A-Z]+.*the gateway serves without it/);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
