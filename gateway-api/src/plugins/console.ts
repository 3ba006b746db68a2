import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { FastifyInstance } from 'fastify';
import { sendProblem } from './error-handler';

/** Where `npm run build:console` puts the web console (dist/console), seen from this compiled file. */
export const DEFAULT_CONSOLE_DIR = path.resolve(__dirname, '../../../console');

/**
 * The web console (gateway-api/console, built by Vite) served at `/` by the gateway itself: no second
 * server, no CDN. Its files are public, like the portal they carry; every API call they make is
 * authenticated as any other client's. A gateway started without a build answers / with a problem
 * saying how to build it, and the API works as before.
 */
export async function registerConsole(app: FastifyInstance, consoleDir: string = DEFAULT_CONSOLE_DIR): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), public: true };
    });
    if (!existsSync(path.join(consoleDir, 'index.html'))) {
      scope.get('/', { schema: { hide: true } }, async (request, reply) =>
        sendProblem(reply, request, 'UNAVAILABLE', 'the web console is not built: run npm run build:console (npm start and npm test build it)'),
      );
      return;
    }
    await scope.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/',
      index: ['index.html'],
      // One route per built file, found at start: no catch-all route in front of the API's not-found answer.
      wildcard: false,
      schemaHide: true,
      // Hashed asset names never change content: cache them; index.html must be fetched fresh.
      setHeaders(reply, file) {
        reply.header('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
        reply.header('x-content-type-options', 'nosniff');
        if (file.endsWith('.html')) {
          reply.header(
            'content-security-policy',
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'",
          );
        }
      },
    });
  });
}
