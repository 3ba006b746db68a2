import Fastify, { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import multipart from '@fastify/multipart';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, ZodTypeProvider } from 'fastify-type-provider-zod';
import path from 'node:path';
import { QueryTrail } from './audit/query-trail';
import { copyLevel } from './backup/level-copy';
import { ApiKeyStore } from './auth/api-keys';
import { MemberRoles } from './auth/member-roles';
import { baseUrlOf, defaultConfig, EventStreamLimits, QueryTrailAnchoring, TlsMaterial } from './config';
import { CertificateMembers, ClientCertificates } from './auth/client-certificates';
import { Ledger } from './ledger/ledger';
import { IdentityResolver, registerAuth, registerRoleRule } from './plugins/auth';
import { registerErrorHandler, sendProblem } from './plugins/error-handler';
import { registerIdempotency } from './plugins/idempotency';
import { registerMetrics } from './plugins/metrics';
import { registerConsole } from './plugins/console';
import { AuthFailureLimit, RateLimitOptions, registerAuthLimits, registerPublicRateLimit } from './plugins/rate-limit';
import { auditRoutes } from './routes/audit';
import { evidenceRoutes } from './routes/evidence';
import { subjectRoutes } from './routes/subjects';
import { assetRoutes } from './routes/assets';
import { orderRoutes } from './routes/orders';
import { alertRoutes } from './routes/alerts';
import { blacklistRoutes } from './routes/blacklist';
import { caseRoutes } from './routes/cases';
import { creditRoutes } from './routes/credit';
import { queryTrailRoutes } from './routes/query-trail';
import { publicBlacklistRoutes } from './routes/public';
import { ipRoutes } from './routes/ip';
import { fundRoutes } from './routes/fund';
import { taxRoutes } from './routes/tax';
import { parameterRoutes } from './routes/parameters';
import { publicReader } from './identity/public-reader';
import { County } from './identity/counties';
import { BlobStore } from './evidence/blob-store';
import { CountyDirectory } from './evidence/certificate-facts';
import { eventRoutes } from './routes/events';
import { healthRoutes } from './routes/health';
import { MemberOnboarding, memberRoutes } from './routes/members';
import { certificateRoutes } from './routes/certificates';
import { keyRoutes } from './routes/keys';
import { explorerRoutes } from './routes/explorer';
import { ExplorerIndex } from './explorer/explorer-index';

declare module 'fastify' {
  interface FastifyInstance {
    /** Copies the gateway's own databases (idempotency answers, query trail) from snapshots into `targetDir`. */
    copyGatewayDatabases(targetDir: string): Promise<void>;
  }
}

/** What buildApp takes from the gateway config (config.ts); left out, a setting has the config's default. */
export interface AppSettings {
  readonly logLevel?: string;
  readonly maxEvidenceBytes?: number;
  /** Key the counties share for HMAC subject IDs of individuals (SUBJECT_HMAC_KEY). */
  readonly subjectHmacKey?: Buffer;
  /** The one per-IP limit of all /public routes. */
  readonly publicRateLimit?: RateLimitOptions;
  /** When the blacklist query trail is anchored on the ledger. */
  readonly queryTrail?: QueryTrailAnchoring;
  /** Serve HTTPS (for listen()); members may then authenticate with their client certificate. Unset: plain HTTP. */
  readonly tls?: TlsMaterial;
  /** Failed authentications per client IP. */
  readonly authFailureLimit?: AuthFailureLimit;
  /** The budget of each API key or client certificate; false: none. */
  readonly keyRateLimit?: RateLimitOptions | false;
  /** Free bytes an evidence upload must leave on the disk of the state folder. */
  readonly evidenceDiskReserveBytes?: number;
  /** Open /events streams at most, per key and in all. */
  readonly eventStreams?: EventStreamLimits;
  /** Blocks the own Fabric peer may be behind the others for /health/ready (HEALTH_MAX_BLOCK_LAG). */
  readonly healthMaxBlockLag?: number;
  /** Where the log goes instead of stdout (tests read it back); with logLevel. */
  readonly logStream?: { write(line: string): void };
  /** Where people reach the web console (PUBLIC_BASE_URL): evidence certificates and lookups link to its verification page. */
  readonly publicBaseUrl?: string;
  /** The font evidence certificates are set in (CJK_FONT). */
  readonly cjkFont?: string;
  /** The built web console served at `/` (default: dist/console, where `npm run build:console` writes it). */
  readonly consoleDir?: string;
  /** The counties whose names documents show (others are shown by MSP ID alone); unset: DEFAULT_COUNTIES. */
  readonly countyNames?: readonly County[];
  /**
   * The explorer index: `catchUpAtStart` brings it up to the ledger's height in the background as
   * soon as the app is ready (the gateway does so; else from the first explorer query on);
   * `maxBlocksPerQuery` bounds what a query waits to have indexed.
   */
  readonly explorerIndex?: { readonly catchUpAtStart?: boolean; readonly maxBlocksPerQuery?: number };
}

export interface AppDependencies extends AppSettings {
  readonly ledger: Ledger;
  readonly keys: ApiKeyStore;
  readonly identities: IdentityResolver & MemberOnboarding & CertificateMembers;
  /** Folder for the gateway's own state (idempotency answers, evidence blobs). */
  readonly stateDir: string;
}

export const API_PREFIX = '/api/v1';

/** Builds the gateway app. Tests call this and use app.inject(); main.ts adds listen(). */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const defaults = defaultConfig();
  const certificates = deps.tls ? new ClientCertificates(deps.identities) : undefined;
  // With HTTPS the server asks every client for a certificate and accepts any at the TLS layer, so that
  // one it cannot verify is answered 401 problem+json by the auth hook rather than with a broken handshake.
  const https =
    deps.tls && certificates
      ? { cert: deps.tls.cert, key: deps.tls.key, ca: deps.tls.clientCa ?? certificates.caCertificates(), requestCert: true, rejectUnauthorized: false }
      : undefined;
  // An HTTPS fastify is typed apart from an HTTP one; the routes and hooks are the same.
  const serverOptions = (https ? { https } : {}) as FastifyHttpOptions<Server>;
  const app = Fastify({
    ...serverOptions,
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel, ...(deps.logStream ? { stream: deps.logStream } : {}) } : false,
    // A request's ID is its correlation ID: a 5xx answer names it, and every log line of the request carries it.
    genReqId: () => randomUUID(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: false } },
    // URLs the router refuses before any route runs (a path parameter over 100 characters, bad
    // percent-encoding) answer problem+json like every other refusal.
    frameworkErrors: (error, request, reply) =>
      sendProblem(
        reply,
        request,
        'INVALID_ARGUMENT',
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is longer than 100 characters' : error.message,
      ),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);

  // The docs pages are public, like the document they render.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), public: true };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'County Ledger API',
        version: '1.0.0',
        description: 'Cross-county market rules on a shared ledger. Errors are application/problem+json with a stable code.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  const maxEvidenceBytes = deps.maxEvidenceBytes ?? defaults.maxEvidenceBytes;
  // Files stream to the blob store; the limit is enforced while streaming.
  await app.register(multipart, { limits: { files: 1, fileSize: maxEvidenceBytes, fields: 10, fieldSize: 64 * 1024 } });
  const limits = await registerAuthLimits(app, deps.authFailureLimit ?? defaults.authFailureLimit, deps.keyRateLimit ?? defaults.keyRateLimit);
  registerAuth(app, deps.keys, deps.identities, deps.ledger, { limits, ...(certificates ? { certificates } : {}) });
  const memberRoles = new MemberRoles(deps.ledger);
  registerRoleRule(app, memberRoles);
  const idempotencyDb = await registerIdempotency(app, `${deps.stateDir}/idempotency`, deps.ledger);

  // One read-only identity for every unauthenticated disclosure route, issued on first use.
  const publicIdentity = publicReader(deps.identities);
  registerMetrics(app, deps.ledger);
  await registerPublicRateLimit(app, `${API_PREFIX}/public/`, deps.publicRateLimit ?? defaults.publicRateLimit);
  // The blacklist query audit trail: the blacklist and credit-file routes append to it, the query-trail routes read it.
  const trail = await QueryTrail.open(`${deps.stateDir}/blacklist-query-trail`, deps.ledger, {
    ...(deps.queryTrail ?? defaults.queryTrail),
    log: (msg, err) => app.log.warn({ err }, msg),
  });
  app.addHook('onClose', async () => trail.close());
  // A backup (backup/backup.ts) copies the gateway's own databases from snapshots while it serves.
  app.decorate('copyGatewayDatabases', async (targetDir: string) => {
    await copyLevel(idempotencyDb, path.join(targetDir, 'idempotency'));
    await copyLevel(trail.db, path.join(targetDir, 'blacklist-query-trail'));
  });
  // Evidence certificates and the public lookup name counties and link to the console's verification page.
  const evidenceDocuments = {
    counties: new CountyDirectory(deps.countyNames),
    publicBaseUrl: () => deps.publicBaseUrl ?? listeningBaseUrl(app, https !== undefined) ?? (defaults.publicBaseUrl as string),
    cjkFont: deps.cjkFont ?? defaults.cjkFont,
  };
  // The auditors' explorer index (block hashes, counts per county per day): derived from the blocks, so a backup leaves it out.
  const explorerIndex = await ExplorerIndex.open(`${deps.stateDir}/explorer-index`, deps.ledger, {
    log: (message, details) => app.log.info(details ?? {}, message),
    ...(deps.explorerIndex?.maxBlocksPerQuery ? { maxBlocksPerQuery: deps.explorerIndex.maxBlocksPerQuery } : {}),
  });
  app.addHook('onClose', async () => explorerIndex.close());
  if (deps.explorerIndex?.catchUpAtStart) app.addHook('onReady', async () => explorerIndex.startBackground());
  await app.register(healthRoutes(deps.ledger, deps.healthMaxBlockLag ?? defaults.healthMaxBlockLag));
  await registerConsole(app, deps.consoleDir);
  await app.register(
    async (api) => {
      await api.register(memberRoutes(deps.ledger, deps.keys, deps.identities, memberRoles));
      await api.register(keyRoutes(deps.ledger, deps.keys, deps.identities));
      await api.register(certificateRoutes(deps.ledger));
      await api.register(eventRoutes(deps.ledger, deps.eventStreams ?? defaults.eventStreams));
      await api.register(auditRoutes(deps.ledger));
      await api.register(explorerRoutes(deps.ledger, explorerIndex));
      await api.register(subjectRoutes(deps.ledger, deps.subjectHmacKey ?? Buffer.from('county-ledger-development-subject-key')));
      await api.register(assetRoutes(deps.ledger));
      await api.register(orderRoutes(deps.ledger));
      await api.register(alertRoutes(deps.ledger));
      await api.register(ipRoutes(deps.ledger));
      await api.register(fundRoutes(deps.ledger, publicIdentity));
      await api.register(taxRoutes(deps.ledger));
      await api.register(parameterRoutes(deps.ledger));
      await api.register(blacklistRoutes(deps.ledger, trail));
      await api.register(creditRoutes(deps.ledger, trail));
      await api.register(queryTrailRoutes(trail));
      await api.register(caseRoutes(deps.ledger));
      await api.register(publicBlacklistRoutes(deps.ledger, publicIdentity, evidenceDocuments));
      const blobs = new BlobStore(`${deps.stateDir}/blobs`, deps.evidenceDiskReserveBytes ?? defaults.evidenceDiskReserveBytes);
      await api.register(evidenceRoutes(deps.ledger, blobs, maxEvidenceBytes, evidenceDocuments));
    },
    { prefix: API_PREFIX },
  );
  return app;
}

/** The address the app listens on (PORT=0 takes any free port), or undefined before it listens (tests inject). */
function listeningBaseUrl(app: FastifyInstance, https: boolean): string | undefined {
  const address = app.server.listening ? app.server.address() : null;
  return address && typeof address === 'object' ? baseUrlOf(address.address, address.port, https) : undefined;
}
