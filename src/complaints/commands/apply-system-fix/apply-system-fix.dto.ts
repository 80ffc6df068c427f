import { BooleanField, IdField, TextField, TimestampField } from '../shared/dto-fields';

export class ApplySystemFixDto {
  @IdField({ description: 'Your id for the fix, unique on the case; generated when omitted', optional: true, example: 'fix-courier-signature' })
  fixId?: string;

  @TextField({ description: 'What was wrong with the system and what was changed', maxLength: 5000, example: 'Courier app ignored the "signature required" flag for parcels over £50.' })
  description!: string;

  @TextField({ description: 'The new procedure, as staff will now follow it', maxLength: 5000, example: 'Parcels flagged "signature required" cannot be marked delivered without a captured signature.' })
  procedureChange!: string;

  @TimestampField({ description: 'When the new procedure takes effect', example: '2026-12-01T00:00:00Z' })
  effectiveFrom!: string;

  @BooleanField({ description: 'Whether the customer has been told about the change', example: true })
  customerNotified!: boolean;
}
