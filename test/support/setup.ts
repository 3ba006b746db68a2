// Keep fabric-contract-api's decorator logs out of test output, as the gateway does at start-up.
import '../../gateway-api/src/quiet-logs';
