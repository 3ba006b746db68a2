/**
 * fabric-shim and fabric-contract-api log through winston, which builds and pushes
 * every debug line through a stream before any level filter applies, and logs each
 * business refusal as an error. In-process that is a large share of a query's cost.
 * Unless CHAINCODE_LOG_LEVEL asks for chaincode logs, their loggers are muted: the
 * logging methods do nothing. Must load before fabric-shim's contract runtime.
 */
import { chaincodeLogLevel } from '../../config';

interface WinstonLike {
  [method: string]: unknown;
}
interface LoggerModule {
  getLogger(name?: string): WinstonLike;
  setLevel?(level: string): void;
}

const METHODS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'log'];

function mute(logger: WinstonLike): WinstonLike {
  for (const m of METHODS) logger[m] = () => logger;
  return logger;
}

function muteModule(mod: LoggerModule, knownNames: readonly string[]): void {
  const create = mod.getLogger.bind(mod);
  mod.getLogger = (name?: string) => mute(create(name));
  // Loggers the libraries created when they were loaded.
  for (const name of knownNames) mod.getLogger(name);
}

const shimLogger = require('fabric-shim/lib/logger') as LoggerModule;
const contractLogger = require('fabric-contract-api/lib/logger') as LoggerModule;

const wanted = chaincodeLogLevel();
if (wanted) {
  shimLogger.setLevel?.(wanted);
} else {
  muteModule(shimLogger, [
    'contracts-spi/chaincodefromcontract.js',
    'contracts-spi/datamarshall.js',
    'lib/chaincode.js',
    'lib/stub.js',
    'lib/handler.js',
    'lib/iterators.js',
    '_',
  ]);
  muteModule(contractLogger, ['./lib/contract.js', './lib/jsontransactionserializer.js']);
}

export {};
