import { Controller, Get, Param, Req } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { ID_PATTERN } from '../../../core/identifiers';
import { readMinPosition } from '../../../core/http/min-position';
import { ApiProblems, ApiReadYourWrites } from '../../../core/http/openapi-shapes';
import { ProjectionsService } from '../../../core/projections/projections.service';
import { CUSTOMER_VULNERABILITY_PROJECTION } from '../../../customers/public';
import { caseViewProjection } from '../../projections/case-view/case-view.projection';
import { CustomerCasesDto } from '../shared/case-view.dto';
import { CustomerCases, CustomerCasesQuery } from './customer-cases.query';

class CustomerIdParams {
  @ApiProperty({ description: 'The customer, as your other systems name them', example: 'cust-10293' })
  @Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' })
  customerId!: string;
}

@ApiTags('customers')
@Controller('customers')
export class CustomerCasesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly projections: ProjectionsService,
  ) {}

  @Get(':customerId')
  @ApiOperation({ operationId: 'getCustomer', summary: "The customer's complaints and how each ended" })
  @ApiOkResponse({ type: CustomerCasesDto })
  @ApiReadYourWrites()
  @ApiProblems([404, 'No complaints on record for this customer'])
  async get(@Param() { customerId }: CustomerIdParams, @Req() request: FastifyRequest): Promise<CustomerCases> {
    const minPosition = readMinPosition(request);
    await this.projections.ensureReached(caseViewProjection.name, minPosition);
    await this.projections.ensureReached(CUSTOMER_VULNERABILITY_PROJECTION, minPosition);
    return this.queryBus.execute(new CustomerCasesQuery(customerId));
  }
}
