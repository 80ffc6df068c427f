import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiInteger } from './openapi-shapes';
import { brokenChainsSeen } from '../command-handling';
import { Public } from './public-route';

class BrokenChainDto {
  @ApiProperty() stream!: string;
  @ApiInteger({ minimum: 0 }) revision!: number;
  @ApiProperty() reason!: string;
}

class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiPropertyOptional({ type: [BrokenChainDto] }) brokenChains?: BrokenChainDto[];
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  @Get()
  @ApiOperation({
    operationId: 'health',
    summary: 'Liveness: answers 200 while the service runs',
    description:
      '`degraded` with `brokenChains` when commands met streams whose hash chain is broken (they are refused with 503 broken-chain).',
  })
  @ApiOkResponse({ type: HealthDto })
  health(): { status: 'ok' | 'degraded'; brokenChains?: { stream: string; revision: number; reason: string }[] } {
    const brokenChains = brokenChainsSeen();
    return brokenChains.length === 0 ? { status: 'ok' } : { status: 'degraded', brokenChains };
  }
}
