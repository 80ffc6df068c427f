import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ID_PATTERN } from '../../../core/identifiers';

/** Path parameters of the customer routes. */
export class CustomerIdParams {
  @ApiProperty({ description: 'The customer, as your other systems name them', example: 'cust-10293' })
  @Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' })
  customerId!: string;
}
