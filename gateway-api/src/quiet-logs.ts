// fabric-contract-api logs each decorator at info level when the contracts load.
// Imported first by the entry point so the level is set before they load.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
