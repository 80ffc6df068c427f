import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ID_PATTERN } from '../../../core/identifiers';

const message = '$property may hold only letters, digits and - _ . : (1 to 128 characters)';

/** Path parameters of the case routes. */
export class CaseIdParams {
  @ApiProperty() @Matches(ID_PATTERN, { message })
  caseId!: string;

  @IsOptional() @Matches(ID_PATTERN, { message })
  offerId?: string;
}
