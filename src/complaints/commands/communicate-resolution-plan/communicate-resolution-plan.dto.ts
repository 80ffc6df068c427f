import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { TimestampField } from '../shared/dto-fields';

export class CommunicateResolutionPlanDto {
  @ApiProperty({
    type: [String],
    description: 'What we will do, step by step, as told to the customer (1 to 20 steps, each 1 to 1000 characters)',
    minItems: 1,
    maxItems: 20,
    example: ['Send a replacement by express delivery', 'Refund the delivery charge'],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(1000, { each: true })
  actions!: string[];

  @TimestampField({ description: 'When the plan will have been carried out; must be in the future', example: '2026-11-30T17:00:00Z' })
  dueBy!: string;
}
