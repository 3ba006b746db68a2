import { expect } from 'chai';
import { EndorseError } from '@hyperledger/fabric-gateway';
import type { ServiceError } from '@grpc/grpc-js';
import { toLedgerError } from '../../gateway-api/src/ledger/fabric/errors';

/** An endorsement failure as fabric-gateway raises it: gRPC ABORTED with one detail per endorsing peer. */
function endorseError(details: string[]): EndorseError {
  const cause = Object.assign(new Error('10 ABORTED: failed to collect enough transaction endorsements'), {
    code: 10,
    details: '',
    metadata: undefined,
  }) as unknown as ServiceError;
  return new EndorseError({
    code: 10,
    cause,
    transactionId: 'tx-1',
    message: cause.message,
    details: details.map((message, i) => ({ address: `peer${i}:7051`, mspId: `Org${i}MSP`, message })),
  });
}

describe('Fabric client errors become ledger errors in one place', () => {
  it('endorsing peers that simulated at different heights (payloads do not match) are a read conflict, retried by re-endorsing', () => {
    const e = toLedgerError(endorseError(['ProposalResponsePayloads do not match', 'ProposalResponsePayloads do not match']));
    expect(e.code).to.equal('MVCC_CONFLICT');
    expect(e.transactionId).to.equal('tx-1');
  });

  it('one endorser refusing what another accepted (a peer behind the other) is a read conflict too', () => {
    const e = toLedgerError(
      endorseError(['ProposalResponsePayloads do not match', 'chaincode response 500, county-ledger:NOT_FOUND: asset a-1 does not exist']),
    );
    expect(e.code).to.equal('MVCC_CONFLICT');
  });

  it('a chaincode refusal in the details keeps its own code', () => {
    const e = toLedgerError(endorseError(['chaincode response 500, county-ledger:FORBIDDEN: not yours']));
    expect(e.code).to.equal('FORBIDDEN');
  });

  it('an endorsement failure of another kind stays INTERNAL', () => {
    const e = toLedgerError(endorseError(['something else entirely']));
    expect(e.code).to.equal('INTERNAL');
  });
});
