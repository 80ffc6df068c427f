import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { command, event, openCase, resolvedCase, withdrawnCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('LogCustomerContact', () => {
  const contact = command('LogCustomerContact', { direction: 'inbound', channel: 'phone', summary: 'Customer called, upset' });
  const logged = event('CustomerContactLogged', { direction: 'inbound', channel: 'phone', summary: 'Customer called, upset' });

  it('logs contact on an open case', () => spec.given(openCase()).when(contact).then([logged]));
  it('logs contact on a resolved case', () => spec.given(resolvedCase()).when(contact).then([logged]));
  it('logs contact on a withdrawn case', () => spec.given(withdrawnCase()).when(contact).then([logged]));
});
