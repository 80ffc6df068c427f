import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  @Get()
  @ApiOperation({ operationId: 'health', summary: 'Liveness: answers 200 while the service runs' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
