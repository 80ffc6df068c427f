import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { NotFoundError } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { SUPERVISOR, closedCase, command, event, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('AddInternalNote', () => {
  it('records the note with its id and author', () =>
    spec
      .given(openCase())
      .when(command('AddInternalNote', { noteId: 'note-1', text: 'Courier depot confirms the scan' }, { by: SUPERVISOR }))
      .then([event('InternalNoteAdded', { noteId: 'note-1', text: 'Courier depot confirms the scan' }, { by: SUPERVISOR })]));

  it('is allowed on a closed case: staff keep notes after the fact', () =>
    spec
      .given(closedCase())
      .when(command('AddInternalNote', { noteId: 'note-2', text: 'Ombudsman asked for the file' }))
      .then([event('InternalNoteAdded', { noteId: 'note-2', text: 'Ombudsman asked for the file' })]));

  it('refuses a case that was never received', () =>
    spec
      .given([])
      .when(command('AddInternalNote', { noteId: 'n', text: 'x' }))
      .thenThrows(NotFoundError));
});
