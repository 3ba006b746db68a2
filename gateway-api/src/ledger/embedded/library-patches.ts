/**
 * The library patches (chaincode/src/library-patches.ts) as the embedded ledger runs them: on
 * load, fabric-shim's and fabric-contract-api's loggers are muted, unless CHAINCODE_LOG_LEVEL asks
 * for the chaincode's logs; the other patches are installed when a ledger opens.
 */
import { chaincodeLogLevel } from '../../config';
import { quietLibraryLoggers, setLibraryLogLevel } from '../../../../chaincode/src/public';

export { installLibraryPatches, requirePatched } from '../../../../chaincode/src/public';

// Before fabric-shim's contract runtime is used; a module runs once, so this happens once.
const wanted = chaincodeLogLevel();
if (wanted) setLibraryLogLevel(wanted);
else quietLibraryLoggers();
