import { CLOSE_REASONS, CloseReason } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../shared/dto-fields';

export class CloseCaseDto {
  @EnumField(CLOSE_REASONS, {
    description: 'Why the case is closed; may be omitted when the case was followed up or withdrawn (then it is inferred)',
    optional: true,
    example: 'follow-up-completed',
  })
  reason?: CloseReason;

  @TextField({ description: 'Anything worth knowing about the closure', optional: true, maxLength: 5000, example: 'Customer confirmed by phone that nothing further is needed.' })
  note?: string;
}
