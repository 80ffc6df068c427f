import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { brokenChainsSeen } from '../command-handling';
import { Public } from './public-route';

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
  health(): { status: 'ok' | 'degraded'; brokenChains?: { stream: string; revision: number; reason: string }[] } {
    const brokenChains = brokenChainsSeen();
    return brokenChains.length === 0 ? { status: 'ok' } : { status: 'degraded', brokenChains };
  }
}
