import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ID_PATTERN } from '../../../core/identifiers';
import { SEVERITIES } from '../../domain/complaint.vocabulary';
import { DEADLINE_KINDS } from '../../domain/deadline-policies';

export const CASE_LIST_STATUSES = ['received', 'acknowledged', 'in-progress', 'resolved', 'closed', 'withdrawn'] as const;
export const CASE_LIST_SORTS = [
  'receivedAt',
  '-receivedAt',
  'updatedAt',
  '-updatedAt',
  'dueAt',
  '-dueAt',
  'severity',
  '-severity',
] as const;
export type CaseListSort = (typeof CASE_LIST_SORTS)[number];

export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,47}$/;
export const TAG_MESSAGE = '$property must be lower-case letters, digits and -, 1 to 48 characters';

const idMessage = '$property may hold only letters, digits and - _ . : (1 to 128 characters)';

/** Query string of GET /cases. Every filter is optional; unknown parameters are refused. */
export class ListCasesQueryDto {
  @ApiPropertyOptional({ enum: CASE_LIST_STATUSES })
  @IsOptional()
  @IsIn(CASE_LIST_STATUSES, { message: `$property must be one of: ${CASE_LIST_STATUSES.join(', ')}` })
  status?: (typeof CASE_LIST_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID_PATTERN, { message: idMessage })
  customerId?: string;

  @ApiPropertyOptional({ example: 'delivery' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({ description: "Agent id, or `me` for the caller (the token's subject)" })
  @IsOptional()
  @Matches(ID_PATTERN, { message: idMessage })
  assignee?: string;

  @ApiPropertyOptional({ description: 'The team the case is assigned to', example: 'complaints-tier-1' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: idMessage })
  team?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Next open deadline due before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' })
  dueBefore?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Next open deadline due at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' })
  dueAfter?: string;

  @ApiPropertyOptional({ enum: DEADLINE_KINDS, description: 'The kind of the next open deadline' })
  @IsOptional()
  @IsIn(DEADLINE_KINDS, { message: `$property must be one of: ${DEADLINE_KINDS.join(', ')}` })
  deadlineKind?: (typeof DEADLINE_KINDS)[number];

  @ApiPropertyOptional({ type: Boolean, description: 'true: the next open deadline has passed; false: it has not (or there is none)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: '$property must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: "true: the next open deadline falls on today's date in the case's regime time zone" })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true], { message: '$property can only be true' })
  dueToday?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'Only cases flagged (true) or not flagged (false) vulnerable' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: '$property must be true or false' })
  vulnerable?: boolean;

  @ApiPropertyOptional({
    description:
      'Full-text search: cases whose summary, details, contact summaries, internal notes, findings, customer id or order reference hold every word (stemmed). Without a sort, best matches first (see the README on ranking).',
    example: 'parcel late',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/[\p{L}\p{N}]/u, { message: '$property must contain at least one letter or digit' })
  q?: string;

  @ApiPropertyOptional({ description: 'Only cases carrying this tag', example: 'vip' })
  @IsOptional()
  @Matches(TAG_PATTERN, { message: TAG_MESSAGE })
  tag?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES, { message: `$property must be one of: ${SEVERITIES.join(', ')}` })
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ type: Boolean, description: 'Only cases with (true) or without (false) a breached deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsIn([true, false], { message: '$property must be true or false' })
  breached?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'Received at or after' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' })
  receivedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Received before' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: '$property must be an ISO-8601 date or date-time' })
  receivedTo?: string;

  @ApiPropertyOptional({
    enum: CASE_LIST_SORTS,
    default: '-receivedAt',
    description:
      'A leading - sorts descending (newest, latest due, most severe first). dueAt is the next open deadline; cases with none come last either way.',
  })
  @IsOptional()
  @IsIn(CASE_LIST_SORTS, { message: `$property must be one of: ${CASE_LIST_SORTS.join(', ')}` })
  sort?: CaseListSort;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: the nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ description: 'Read-your-writes: wait until the list reflects this global position' })
  @IsOptional()
  @Matches(/^\d{1,15}$/, { message: '$property must be a whole number' })
  minPosition?: string;
}
