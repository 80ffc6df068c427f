import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';

/**
 * A file on the case (evidence, a photo, a letter): the event records its name, size, sniffed type and SHA-256, so the
 * audit chain covers the bytes; the bytes themselves live in the attachment store under that hash.
 */
export type AddAttachment = ComplaintCommandOf<'AddAttachment', EventFacts<'AttachmentAdded'>>;

export function decideAddAttachment(command: AddAttachment): ComplaintEvent[] {
  const { attachmentId, name, size, contentType, sha256 } = command.data;
  return [{ type: 'AttachmentAdded', data: { attachmentId, name, size, contentType, sha256, ...stamp(command) } }];
}
