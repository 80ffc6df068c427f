import type { ReceiveComplaint } from '../../domain/complaint.commands';
import { CHANNELS, Channel, REGIMES, Regime } from '../../domain/complaint.vocabulary';
import { EnumField, IdField, MoneyDto, NestedField, TextField, TimestampField } from '../shared/dto-fields';

/** The body of `POST /cases`: a new complaint. */
export class ReceiveComplaintDto {
  @IdField({ description: 'The customer who complains', example: 'cust-10293' })
  customerId!: string;

  @EnumField(CHANNELS, { description: 'How the complaint reached us', example: 'email' })
  channel!: Channel;

  @TextField({ description: 'The complaint in one line', maxLength: 500, example: 'Parcel arrived damaged and left outside in the rain' })
  summary!: string;

  @TextField({ description: "The complaint in full, in the customer's words where possible", optional: true, maxLength: 20000, example: 'I ordered a lamp on 20 November. It was left on the doorstep in the rain although I had asked for a signature, and the shade is ruined.' })
  details?: string;

  @TextField({ description: 'What the customer asks for to put things right', optional: true, maxLength: 2000, example: 'A replacement lamp and a refund of the delivery charge' })
  remedySought?: string;

  @IdField({ description: 'The order the complaint is about, if any', optional: true, example: 'order-55812' })
  orderRef?: string;

  @NestedField(() => MoneyDto, { description: 'The value of that order; refunds offered on the case cannot together exceed it', optional: true, example: { amount: 4999, currency: 'GBP' } })
  orderValue?: MoneyDto;

  @EnumField(REGIMES, { description: 'The regulatory regime whose deadlines apply; defaults to the house policy ("default")', optional: true, example: 'FCA' })
  regime?: Regime;

  @TimestampField({ description: 'When the customer complained, if earlier than now (e.g. a letter opened today); never in the future. Defaults to now.', optional: true, example: '2026-11-23T09:15:00Z' })
  receivedAt?: string;
}

/** The ReceiveComplaint command's data for a validated body; the regime defaults to the house policy. */
export function toReceiveComplaintData(caseId: string, dto: ReceiveComplaintDto): ReceiveComplaint['data'] {
  return {
    caseId,
    customerId: dto.customerId,
    channel: dto.channel,
    summary: dto.summary,
    details: dto.details,
    remedySought: dto.remedySought,
    orderRef: dto.orderRef,
    orderValue: dto.orderValue ? { amount: dto.orderValue.amount, currency: dto.orderValue.currency } : undefined,
    regime: dto.regime ?? 'default',
    // Stored in one form (UTC, toISOString) so that instants order correctly as text in the read models.
    receivedAt: dto.receivedAt === undefined ? undefined : new Date(dto.receivedAt).toISOString(),
  };
}
