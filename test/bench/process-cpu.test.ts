import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { cpuSecondsOf, networkCpuSeconds, parseStat, perOperation, threadSecondsOf } from '../../scripts/bench/process-cpu';

describe('benchmarks: CPU by process and thread from /proc', () => {
  it('reads a stat line whose command name holds spaces and parentheses', () => {
    // Fields after the name: state, then 10 more, utime (14th field of the line) and stime (15th), in clock ticks.
    const line = '4242 (node (http) w) S 1 2 3 4 5 6 7 8 9 10 250 75 0 0 20 0 9 0 100 0 0';
    expect(parseStat(line)).to.deep.equal({ name: 'node (http) w', seconds: 3.25 });
  });

  it("this process's CPU and its main thread are found; a process that is gone has none", function () {
    if (cpuSecondsOf(process.pid) === undefined) this.skip(); // no /proc on this system
    expect(cpuSecondsOf(process.pid)).to.be.greaterThan(0);
    expect([...threadSecondsOf(process.pid).keys()].some((k) => k.startsWith('main#'))).to.equal(true);
    expect(cpuSecondsOf(2 ** 22 + 1)).to.equal(undefined);
  });

  it('sorts the processes of a network pids file into peers, orderers and chaincode servers; unknown lines count nowhere', function () {
    if (cpuSecondsOf(process.pid) === undefined) this.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cl-pids-'));
    try {
      const pids = path.join(dir, 'pids');
      // This very process stands in for each kind in turn: its CPU seconds are known to be above zero.
      for (const [line, kind] of [
        [`${process.pid} peer0.liangdang /opt/fabric/bin/peer`, 'peers'],
        [`${process.pid} orderer0.liangdang /opt/fabric/bin/orderer`, 'orderers'],
        [`${process.pid} chaincode:LiangdangMSP:countyledger /cc/node_modules/fabric-shim/cli.js`, 'chaincode'],
      ] as const) {
        writeFileSync(pids, `${line}\n${process.pid} something-else /bin/sh\nnot a line\n`);
        const seconds = networkCpuSeconds(pids);
        for (const k of ['peers', 'orderers', 'chaincode'] as const) {
          if (k === kind) expect(seconds[k], k).to.be.greaterThan(0);
          else expect(seconds[k], k).to.equal(0);
        }
        expect(seconds.client).to.be.greaterThan(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives microseconds per operation by kind and in all', () => {
    const before = { peers: 1, orderers: 1, chaincode: 1, client: 1 };
    const after = { peers: 1.5, orderers: 1.1, chaincode: 1.2, client: 1.2 };
    expect(perOperation(before, after, 100, 'tx')).to.equal('peers 5000, orderers 1000, chaincode 2000, client 2000 µs/tx (all 10000)');
  });
});
