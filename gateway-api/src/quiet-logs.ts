// fabric-contract-api logs each decorator at info level when the contracts load; it reads its
// level from CORE_CHAINCODE_LOGGING_LEVEL (default WARNING here, see config.ts). Imported first by
// the entry point so the level is set before they load.
import { contractLoadLogLevel } from './config';

process.env.CORE_CHAINCODE_LOGGING_LEVEL = contractLoadLogLevel();
