import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CustomerCommandResponseDto {
  @ApiProperty({ description: 'The customer the command applied to' }) customerId!: string;
  @ApiProperty({ description: "The customer stream's revision after the command; also the ETag" }) revision!: number;
  @ApiProperty({ description: 'Global log position of the last event appended; pass it as minPosition to read your write' }) position!: number;
  @ApiPropertyOptional({ description: 'The order recorded (purchases)' }) orderId?: string;
  @ApiPropertyOptional({ description: 'The referral recorded (referrals)' }) referralId?: string;
}
