/**
 * fabric-shim logs through winston, which formats every debug line before any
 * level filter, and logs each business refusal as an error. In-process, that is
 * most of the cost of a query. Unless CHAINCODE_LOG_LEVEL asks for chaincode
 * logs, shim loggers are created silent. Must load before fabric-shim's runtime.
 */
const shimLogger = require('fabric-shim/lib/logger') as {
  getLogger(name?: string): { silent?: boolean };
  setLevel(level: string): void;
};

const wanted = process.env.CHAINCODE_LOG_LEVEL;
if (wanted) {
  shimLogger.setLevel(wanted);
} else {
  const create = shimLogger.getLogger;
  shimLogger.getLogger = (name?: string) => {
    const logger = create(name);
    logger.silent = true;
    return logger;
  };
  // Loggers fabric-shim's modules create at load time, in case one loaded first.
  for (const name of ['contracts-spi/chaincodefromcontract.js', 'contracts-spi/datamarshall.js', 'lib/chaincode.js', 'lib/stub.js', 'lib/handler.js', 'lib/iterators.js', '_']) {
    shimLogger.getLogger(name);
  }
}

export {};
