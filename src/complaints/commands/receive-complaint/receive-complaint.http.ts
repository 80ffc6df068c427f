import type { ReceiveComplaint } from './receive-complaint.decide';
import { ASIC_COMPLAINT_TYPES, AsicComplaintType, CHANNELS, Channel, REGIMES, Regime } from '../../domain/complaint.vocabulary';
import {
  BooleanField,
  EmailField,
  EnumField,
  IdField,
  MoneyDto,
  NestedField,
  PhoneField,
  TextField,
  TimestampField,
} from '../../../core/http/dto-fields';
import { Body, Inject, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiCommandEndpoint } from '../../../core/http/openapi-shapes';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { ApiActor } from '../../../identity/public';
import { CASE_COMMANDS, CaseCommandResponseDto, CaseCommands, CaseCommandsController } from '../../case-commands';

/** How to reach the customer about the complaint: any of name, email and phone. Stored encrypted with the customer's key. */
export class CustomerContactDto {
  @TextField({ description: "The customer's name as they gave it", optional: true, maxLength: 200, example: 'Ada Lovelace' })
  name?: string;

  @EmailField({ description: 'Where to email the customer', optional: true, example: 'ada@example.com' })
  email?: string;

  @PhoneField({ description: 'Where to call the customer', optional: true, example: '+44 20 7946 0958' })
  phone?: string;
}

/** The body of `POST /cases`: a new complaint. */
export class ReceiveComplaintDto {
  @IdField({ description: 'The customer who complains', example: 'cust-10293' })
  customerId!: string;

  @EnumField(CHANNELS, { description: 'How the complaint reached us', example: 'email' })
  channel!: Channel;

  @TextField({ description: 'The complaint in one line', maxLength: 500, example: 'Parcel arrived damaged and left outside in the rain' })
  summary!: string;

  @TextField({
    description: "The complaint in full, in the customer's words where possible",
    optional: true,
    maxLength: 20000,
    example:
      'I ordered a lamp on 20 November. It was left on the doorstep in the rain although I had asked for a signature, and the shade is ruined.',
  })
  details?: string;

  @TextField({
    description: 'What the customer asks for to put things right',
    optional: true,
    maxLength: 2000,
    example: 'A replacement lamp and a refund of the delivery charge',
  })
  remedySought?: string;

  @NestedField(() => CustomerContactDto, {
    description: "How to reach the customer (personal data: encrypted with the customer's key, erased with it)",
    optional: true,
    example: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 20 7946 0958' },
  })
  contact?: CustomerContactDto;

  @IdField({ description: 'The order the complaint is about, if any', optional: true, example: 'order-55812' })
  orderRef?: string;

  @IdField({
    description: 'An earlier case this complaint follows on from, e.g. one the customer withdrew (a withdrawn case is never reopened)',
    optional: true,
    example: '5f2b9c1e-8d1a-4c9e-b0a4-3f0e6f1d2a77',
  })
  relatedCaseId?: string;

  @NestedField(() => MoneyDto, {
    description: 'The value of that order; refunds offered on the case cannot together exceed it',
    optional: true,
    example: { amount: 4999, currency: 'GBP' },
  })
  orderValue?: MoneyDto;

  @EnumField(REGIMES, {
    description: 'The regulatory regime whose deadlines apply; defaults to the house policy ("default")',
    optional: true,
    example: 'FCA',
  })
  regime?: Regime;

  @TimestampField({
    description: 'When the customer complained, if earlier than now (e.g. a letter opened today); never in the future. Defaults to now.',
    optional: true,
    example: '2026-11-23T09:15:00Z',
  })
  receivedAt?: string;

  @BooleanField({
    description: 'FCA: a payment-services or e-money complaint; its final response is due within 15 business days (DISP 1.6.2AR)',
    optional: true,
    example: false,
  })
  paymentServices?: boolean;

  @EnumField(ASIC_COMPLAINT_TYPES, {
    description:
      'ASIC (RG 271): a complaint type with its own maximum IDR timeframe: about a default notice, a hardship notice, a declined ' +
      'hardship request or a request to postpone enforcement proceedings (21 calendar days), or a superannuation trustee complaint ' +
      '(45 calendar days); absent for a standard complaint (30 calendar days)',
    optional: true,
    example: 'default-notice',
  })
  asicComplaintType?: AsicComplaintType;
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
    contact: dto.contact ? { name: dto.contact.name, email: dto.contact.email, phone: dto.contact.phone } : undefined,
    orderRef: dto.orderRef,
    relatedCaseId: dto.relatedCaseId,
    orderValue: dto.orderValue ? { amount: dto.orderValue.amount, currency: dto.orderValue.currency } : undefined,
    regime: dto.regime ?? 'default',
    // Stored in one form (UTC, toISOString) so that instants order correctly as text in the read models.
    receivedAt: dto.receivedAt === undefined ? undefined : new Date(dto.receivedAt).toISOString(),
    paymentServices: dto.paymentServices,
    asicComplaintType: dto.asicComplaintType,
  };
}

@CaseCommandsController()
export class ReceiveComplaintController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post()
  @ApiOperation({
    operationId: 'receiveComplaint',
    summary: 'Receive a new complaint',
    description: 'Opens a case. With an Idempotency-Key a retry returns the same case instead of opening another.',
  })
  @ApiActor()
  @ApiCommandEndpoint(201, { type: CaseCommandResponseDto, location: 'The new case: /cases/{caseId}' })
  receiveComplaint(@Body() body: ReceiveComplaintDto, @Exchange() http: HttpExchange): Promise<CommandResponse> {
    return this.cases.handle<ReceiveComplaint>(http, {
      build: ({ id }) => ({ type: 'ReceiveComplaint', data: toReceiveComplaintData(id, body) }),
    });
  }
}
