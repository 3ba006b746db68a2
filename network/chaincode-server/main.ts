/**
 * The chaincode server's start, as fabric-shim's server loads it for a Fabric peer (the "main" of
 * the package the peers install, scripts/network/package-chaincode.mjs): the contracts, with the
 * library patches the embedded ledger runs too. It lives beside the node builder, not in
 * chaincode/, because it reads the process's environment, which nothing in the chaincode may.
 * fabric-shim's loggers keep warnings and errors (a lost connection to the peer, a failed
 * transaction) and drop the lines below, which winston would otherwise format one by one;
 * CORE_CHAINCODE_LOGGING_LEVEL=INFO or DEBUG leaves them as fabric-shim ships them.
 */
// The patches first and the contracts last, as the peer's log level must be set before the contracts load.
import { installLibraryPatches, quietLibraryLoggers, setLibraryLogLevel } from '../../chaincode/src/library-patches';

// The peer's chaincode log level, read once as the server starts: logging only, never a transaction's input.
const asked = (process.env.CORE_CHAINCODE_LOGGING_LEVEL ?? '').toUpperCase();
if (asked === 'INFO' || asked === 'DEBUG') setLibraryLogLevel(asked);
else {
  // CRITICAL as ERROR: fabric-shim maps it to a level winston does not know, which would drop the errors too.
  const errorsOnly = asked === 'ERROR' || asked === 'CRITICAL';
  setLibraryLogLevel(errorsOnly ? 'ERROR' : 'WARNING');
  quietLibraryLoggers(errorsOnly ? 'error' : 'warn');
}
installLibraryPatches();

export { contracts } from '../../chaincode/src/index';
