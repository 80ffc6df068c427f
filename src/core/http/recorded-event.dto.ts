import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEnvelope } from '../event-store/event-store.port';
import { ApiInteger } from './openapi-shapes';

/** An event as the log holds it, without its stream (the route names it). */
export class RecordedEventDto implements Omit<RecordedEnvelope, 'streamName'> {
  @ApiProperty({ format: 'uuid', description: "Deterministic from the command's Idempotency-Key" }) id!: string;
  @ApiProperty({ example: 'ComplaintReceived' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's payload" }) data!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'actor, commandId, commandType, correlationId, causationId, occurredAt, schemaVersion, and the hash chain (prevHash, hash)',
  })
  metadata!: Record<string, unknown>;
  @ApiInteger({ minimum: 0, description: '0-based revision in its stream' }) revision!: number;
  @ApiInteger({ description: 'Position in the global log' }) position!: number;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

/** An event as stored, with the stream its hash covers. */
export class StoredEventDto extends RecordedEventDto implements RecordedEnvelope {
  @ApiProperty({ example: 'complaint-0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' }) streamName!: string;
}
