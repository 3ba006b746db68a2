/**
 * Every change the chaincode's runtimes make to the internals of fabric-shim,
 * fabric-contract-api and @fidm/x509, in one place: the embedded ledger's (in the
 * gateway's process) and the chaincode server's on Fabric (server.ts). They reach
 * into files and prototypes that are not those packages' API, so each is tied to the
 * exact version it was written against: on another version, loading this module (or
 * installing the patches) throws rather than patching code it was not checked
 * against. The patches exist for speed and change no result; the peers themselves are
 * Fabric's, unchanged.
 *
 * Loading this module checks the libraries' versions and loads none of them (fabric-shim's
 * logger, once loaded, takes over the process's uncaught exceptions and unhandled
 * rejections): loggers are
 * quietened by quietLibraryLoggers(), the other patches installed by
 * installLibraryPatches() before the first transaction.
 */

import { createRequire } from 'node:module';

// Resolves as a plain require() from this file would: the copies of the packages this process loads.
const requireHere = createRequire(__filename);

/** The version each patched package must have: the one whose source the patches were checked against. */
export const PATCHED_VERSIONS: Readonly<Record<string, string>> = {
  'fabric-shim': '2.5.8',
  'fabric-contract-api': '2.5.8',
  '@fidm/x509': '1.2.1',
};

/** Throws unless the found version of a patched package is the one its patches were written for. */
export function checkPatchedVersion(pkg: string, expected: string, found: string | undefined): void {
  if (found === expected) return;
  const shown = found ?? '(unknown)';
  throw new Error(
    `${pkg} ${shown} is installed, but the chaincode runtime patches internals of ${pkg} ${expected}. ` +
      `Check the patches in chaincode/src/library-patches.ts against ${pkg} ${shown} and update PATCHED_VERSIONS, or install ${pkg}@${expected}.`,
  );
}

/** The installed version of a package, from the package.json that require() resolves from here. */
export function installedVersion(pkg: string): string | undefined {
  return (requireHere(`${pkg}/package.json`) as { version?: string }).version;
}

/**
 * Loads a package's internal file (no type declarations) after checking that the package is the
 * version the patches were written against: every use of library internals goes through here.
 */
export function requirePatched<T>(pkg: string, internalPath: string): T {
  checkPatchedVersion(pkg, PATCHED_VERSIONS[pkg] as string, installedVersion(pkg));
  return requireHere(internalPath ? `${pkg}/${internalPath}` : pkg) as T;
}

// Loading this module checks the version of every patched package (their package.json files, no
// library code): on another version the process stops here, before anything is patched or loaded.
for (const [pkg, expected] of Object.entries(PATCHED_VERSIONS)) checkPatchedVersion(pkg, expected, installedVersion(pkg));

// --- fabric-shim and fabric-contract-api loggers ---
// They log through winston, which formats every line (timestamp, metadata, colours,
// padding) and pushes it through a stream before the transport's level filter drops it,
// and log each business refusal as an error: in process a large share of a query's cost,
// and a quarter of the chaincode server's CPU on Fabric. Quietened, the logging methods
// below the kept levels do nothing at all.

interface WinstonLike {
  [method: string]: unknown;
}
interface LoggerModule {
  getLogger(name?: string): WinstonLike;
  setLevel?(level: string): void;
}

/** winston's logging methods, most severe first. */
const LOG_METHODS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LibraryLogLevel = (typeof LOG_METHODS)[number];

/** Loggers already quietened: getLogger hands the same logger out again (fabric-shim's ctx.logging per transaction), and wrapping its log again would nest one wrapper per call. */
const quietened = new WeakSet<WinstonLike>();

function quiet(logger: WinstonLike, kept: ReadonlySet<string>): WinstonLike {
  if (quietened.has(logger)) return logger;
  quietened.add(logger);
  for (const m of LOG_METHODS) if (!kept.has(m)) logger[m] = () => logger;
  // log(level, …) and log(info): a level method with several arguments goes through it, and so
  // does winston's handler of uncaught exceptions; the kept levels pass on.
  const log = logger.log as (this: WinstonLike, ...args: unknown[]) => unknown;
  logger.log = (...args: unknown[]) => {
    const first = args[0];
    const level = typeof first === 'string' ? first : (first as { level?: unknown } | undefined)?.level;
    return typeof level === 'string' && kept.has(level) ? log.apply(logger, args) : logger;
  };
  return logger;
}

function quietModule(mod: LoggerModule, knownNames: readonly string[], kept: ReadonlySet<string>): void {
  const create = mod.getLogger.bind(mod);
  mod.getLogger = (name?: string) => quiet(create(name), kept);
  // Loggers the libraries created when they were loaded (getLogger returns them by name).
  for (const name of knownNames) mod.getLogger(name);
}

/**
 * Quietens fabric-shim's and fabric-contract-api's loggers: the methods of the levels below
 * `lowestKept` become no-ops (undefined: every one, the library logs nothing). Called once, before
 * the contract runtime is used.
 */
export function quietLibraryLoggers(lowestKept?: LibraryLogLevel): void {
  const kept = new Set<string>(lowestKept ? LOG_METHODS.slice(0, LOG_METHODS.indexOf(lowestKept) + 1) : []);
  const shimLogger = requirePatched<LoggerModule>('fabric-shim', 'lib/logger');
  const contractLogger = requirePatched<LoggerModule>('fabric-contract-api', 'lib/logger');
  quietModule(
    shimLogger,
    [
      'contracts-spi/chaincodefromcontract.js',
      'contracts-spi/datamarshall.js',
      'contracts-spi/bootstrap.js',
      'lib/server.js',
      'lib/chaincode.js',
      'lib/stub.js',
      'lib/handler.js',
      'lib/iterators.js',
      '_',
    ],
    kept,
  );
  quietModule(contractLogger, ['./lib/contract.js', './lib/jsontransactionserializer.js'], kept);
}

/**
 * Gives the process back Node's own answer to an uncaught exception or an unhandled rejection
 * (the stack on stderr, exit code 1). fabric-shim's and fabric-contract-api's loggers, once
 * loaded, take both over: winston logs them with `exitOnError: false` and a listener logs each
 * rejection, and the process goes on with whatever the failure left half done. Loads both logger
 * modules (each installs its handlers once, when first loaded), so none comes back later.
 */
export function restoreProcessFailFast(): void {
  for (const pkg of ['fabric-shim', 'fabric-contract-api']) {
    const catchAll = requirePatched<LoggerModule>(pkg, 'lib/logger').getLogger('_') as { exceptions?: { unhandle(): void } };
    catchAll.exceptions?.unhandle();
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (listener.name === 'loggerUnhandledRejectionFn') process.removeListener('unhandledRejection', listener);
  }
}

/** Sets fabric-shim's own level instead (its loggers then format every line, as shipped): for someone who asked to see them. */
export function setLibraryLogLevel(fabricLevel: string): void {
  requirePatched<LoggerModule>('fabric-shim', 'lib/logger').setLevel?.(fabricLevel);
}

// --- fabric-shim's DataMarshall.handleParameters ---
// It turns a transaction's argument bytes into the values the contract function receives
// and validates them against the contract metadata with ajv. On every call, for every
// parameter, it formats debug lines eagerly (util.inspect, several JSON.stringify of the
// schema) and looks the validator up in ajv's cache by a stable stringification of the
// whole schema: in process, a tenth of a query's cost.
//
// The replacement takes the same steps in the same order: the same serializer conversion,
// the same ajv instance and schema, the same errors with the same messages. The compiled
// validator is kept per parameter descriptor (contract metadata never changes after
// start), and the debug lines, muted anyway, are not built. Unusual paths (no metadata, a
// wrong number of arguments, a parameter without type information) go to the original.

interface ParameterDescriptor {
  readonly schema: { readonly type?: unknown; readonly $ref?: unknown };
}
interface FunctionDescriptor {
  readonly parameters?: readonly ParameterDescriptor[];
}
interface AjvValidator {
  (data: unknown): boolean;
  errors?: Array<{ message?: string }> | null;
}
interface DataMarshallLike {
  readonly ajv: { compile(schema: unknown): AjvValidator };
  readonly components: unknown;
  fromWireBuffer(data: Buffer, schema: unknown, loggerPrefix: string): { value: unknown; validateData: unknown };
}
type HandleParameters = (this: DataMarshallLike, fn: FunctionDescriptor, parameters: Buffer[], loggerPrefix: string) => unknown[];

type DataMarshallClass = { prototype: { handleParameters: HandleParameters } };
let shimOriginal: HandleParameters | undefined;

/** fabric-shim's DataMarshall, and its own handleParameters as it was before any patch (loaded on first use). */
function dataMarshall(): { DataMarshall: DataMarshallClass; original: HandleParameters } {
  const DataMarshall = requirePatched<DataMarshallClass>('fabric-shim', 'lib/contract-spi/datamarshall');
  // Taken before the first patch (never the patch itself, which would then call itself).
  if (DataMarshall.prototype.handleParameters !== cachedHandleParameters) shimOriginal ??= DataMarshall.prototype.handleParameters;
  if (!shimOriginal) throw new Error("fabric-shim's handleParameters was patched before its original was kept");
  return { DataMarshall, original: shimOriginal };
}

/** fabric-shim's own implementation, kept for the unusual paths and for the equivalence test. */
export const shimHandleParameters: HandleParameters = function (fn, parameters, loggerPrefix) {
  return dataMarshall().original.call(this, fn, parameters, loggerPrefix);
};

interface Compiled {
  readonly schema: unknown;
  readonly validate: AjvValidator;
}
const compiled = new WeakMap<DataMarshallLike, WeakMap<ParameterDescriptor, Compiled>>();

function validatorFor(marshall: DataMarshallLike, expected: ParameterDescriptor): Compiled {
  let byParameter = compiled.get(marshall);
  if (!byParameter) {
    byParameter = new WeakMap();
    compiled.set(marshall, byParameter);
  }
  let entry = byParameter.get(expected);
  if (!entry) {
    // The schema object fabric-shim builds for each parameter.
    const schema = { properties: { prop: expected.schema }, components: { schemas: marshall.components } };
    entry = { schema, validate: marshall.ajv.compile(schema) };
    byParameter.set(expected, entry);
  }
  return entry;
}

export const cachedHandleParameters: HandleParameters = function (fn, parameters, loggerPrefix) {
  const expectedParams = fn.parameters;
  if (!expectedParams || expectedParams.length !== parameters.length || expectedParams.some((p) => !p.schema.type && !p.schema.$ref)) {
    return shimHandleParameters.call(this, fn, parameters, loggerPrefix);
  }
  const values: unknown[] = [];
  for (let i = 0; i < expectedParams.length; i++) {
    const { schema, validate } = validatorFor(this, expectedParams[i] as ParameterDescriptor);
    const { value, validateData } = this.fromWireBuffer(parameters[i] as Buffer, schema, loggerPrefix);
    if (!validate({ prop: validateData })) {
      const errors = JSON.stringify((validate.errors ?? []).map((err) => err.message));
      throw new Error(`Unable to validate parameter due to ${errors}`);
    }
    values.push(value);
  }
  return values;
};

// --- @fidm/x509's Certificate.fromPEM ---
// fabric-shim's ClientIdentity parses the creator certificate with it on every
// transaction. Parsing is pure, so the parsed certificate is cached by its PEM text;
// the ClientIdentity the contracts see is unchanged.

interface FidmCertificate {
  fromPEM(pem: Buffer): unknown;
  __countyLedgerCached?: boolean;
}

function cacheParsedCertificates(): void {
  const fidm = requirePatched<{ Certificate: FidmCertificate }>('@fidm/x509', '');
  if (fidm.Certificate.__countyLedgerCached) return;
  const parse = fidm.Certificate.fromPEM.bind(fidm.Certificate);
  const cache = new Map<string, unknown>();
  fidm.Certificate.fromPEM = (pem: Buffer) => {
    const key = pem.toString();
    let cert = cache.get(key);
    if (cert === undefined) {
      cert = parse(pem);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, cert);
    }
    return cert;
  };
  fidm.Certificate.__countyLedgerCached = true;
}

/** Installs the certificate cache and the cached parameter handling; done before the first transaction. */
export function installLibraryPatches(): void {
  cacheParsedCertificates();
  dataMarshall().DataMarshall.prototype.handleParameters = cachedHandleParameters;
}
