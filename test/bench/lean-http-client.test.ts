import { expect } from 'chai';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LeanHttpClient } from '../../scripts/bench/lean-http-client';

describe('Benchmarks: the lean HTTP load client', () => {
  let server: Server;
  let origin: string;
  const sockets = new Set<unknown>();

  before(async () => {
    server = createServer((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (req.url === '/chunked') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('a');
          res.end('b');
          return;
        }
        const answer = JSON.stringify({ method: req.method, url: req.url, auth: req.headers.authorization ?? null, body });
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends GETs and POSTs with their headers and body, and answers status and body', async () => {
    const client = new LeanHttpClient(origin, 2);
    try {
      const get = await client.request('GET', '/a?x=1', { authorization: 'Bearer k' });
      expect(get.status).to.equal(200);
      expect(JSON.parse(get.body.toString('utf8'))).to.deep.equal({ method: 'GET', url: '/a?x=1', auth: 'Bearer k', body: '' });
      const post = await client.request('POST', '/b', { 'content-type': 'application/json' }, '{"键":"值"}');
      expect(JSON.parse(post.body.toString('utf8'))).to.deep.include({ method: 'POST', url: '/b', body: '{"键":"值"}' });
      const missing = await client.request('GET', '/missing', {});
      expect(missing.status).to.equal(404);
    } finally {
      await client.close();
    }
  });

  it('keeps at most its number of connections open, one request in flight on each, however many are asked at once', async () => {
    sockets.clear();
    const client = new LeanHttpClient(origin, 3);
    try {
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => client.request('GET', `/n/${i}`, {})));
      expect(answers.map((a) => (JSON.parse(a.body.toString('utf8')) as { url: string }).url)).to.deep.equal(Array.from({ length: 60 }, (_, i) => `/n/${i}`));
      expect(sockets.size).to.equal(3);
    } finally {
      await client.close();
    }
  });

  it('fails a response it cannot frame (no Content-Length) instead of guessing', async () => {
    const client = new LeanHttpClient(origin, 1);
    try {
      let failure: unknown;
      await client.request('GET', '/chunked', {}).catch((err: unknown) => (failure = err));
      expect(String(failure)).to.match(/unframed response: HTTP\/1.1 200/);
      const next = await client.request('GET', '/after', {});
      expect(next.status).to.equal(200);
    } finally {
      await client.close();
    }
  });
});
