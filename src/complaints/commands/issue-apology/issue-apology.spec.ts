import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { command, event, justifiedCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('IssueApology', () => {
  const apologise = command('IssueApology', { channel: 'letter', message: 'We are sorry' });
  const apologised = event('ApologyIssued', { channel: 'letter', message: 'We are sorry' });

  it('apologises on an open case', () => spec.given(justifiedCase()).when(apologise).then([apologised]));
  it('apologises on a resolved case', () => spec.given(resolvedCase()).when(apologise).then([apologised]));
});
