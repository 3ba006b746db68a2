/**
 * A gateway thread that meets an uncaught exception or an unhandled rejection stops, as Node
 * stops by default: the libraries the contracts load would otherwise log it and go on serving with
 * whatever it left half done (chaincode/src/library-patches.ts restoreProcessFailFast). The
 * entry points import this right after quiet-logs.ts, which sets the libraries' log level before
 * they load.
 */
import { restoreProcessFailFast } from '../../chaincode/src/public';

restoreProcessFailFast();
