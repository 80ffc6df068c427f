import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';

/** Staff's working notes: shown to staff on the case, never to the customer, never in a letter. */
export type AddInternalNote = ComplaintCommandOf<'AddInternalNote', { noteId: string; text: string }>;

export function decideAddInternalNote(command: AddInternalNote): ComplaintEvent[] {
  return [{ type: 'InternalNoteAdded', data: { noteId: command.data.noteId, text: command.data.text, ...stamp(command) } }];
}
