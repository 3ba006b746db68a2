// Keep fabric-contract-api's decorator logs out of test output, as the gateway does at start-up.
import '../../gateway-api/src/quiet-logs';

// Every chaincode answer a test receives through the catalogue is checked against its declared
// output schema, so the catalogue (and the OpenAPI document built from it) says what is answered.
import { checkAnswersAgainstCatalogue } from '../../gateway-api/src/ledger/calls';
checkAnswersAgainstCatalogue();
