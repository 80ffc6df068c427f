import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { NotFoundError } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { closedCase, command, event, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());
const FILE = { attachmentId: 'att-1', name: 'photo.png', size: 2048, contentType: 'image/png', sha256: 'a'.repeat(64) };

describe('AddAttachment', () => {
  it('records the file by name, size, type and hash', () =>
    spec
      .given(openCase())
      .when(command('AddAttachment', FILE))
      .then([event('AttachmentAdded', FILE)]));

  it('takes evidence on a closed case too', () =>
    spec
      .given(closedCase())
      .when(command('AddAttachment', FILE))
      .then([event('AttachmentAdded', FILE)]));

  it('refuses a case that was never received', () => spec.given([]).when(command('AddAttachment', FILE)).thenThrows(NotFoundError));
});
