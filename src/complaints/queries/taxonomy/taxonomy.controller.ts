import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '../../../core/clock';
import { COMPLAINT_POLICY } from '../../case-commands';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { taxonomyAt, type RootCauseTaxonomy } from '../../domain/root-cause-taxonomy';

export interface Taxonomies {
  current: RootCauseTaxonomy;
  versions: readonly RootCauseTaxonomy[];
}

export class RootCauseTaxonomyDto implements RootCauseTaxonomy {
  @ApiProperty({ description: 'Recorded on every assessment checked against it', example: 'taxonomy@2026-01' }) version!: string;
  @ApiProperty({ format: 'date-time', description: 'In force from this instant', example: '2000-01-01T00:00:00Z' })
  effectiveFrom!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    description: 'Level 1 (the category) → level 2 (the cause) → what it means; a code is `<category>/<cause>`',
    example: { delivery: { late: 'Arrived after the promised date', lost: 'Never arrived' } },
  })
  categories!: Record<string, Record<string, string>>;
}

export class TaxonomiesDto implements Taxonomies {
  @ApiProperty({ type: RootCauseTaxonomyDto, description: 'The version in force now' }) current!: RootCauseTaxonomyDto;
  @ApiProperty({ type: [RootCauseTaxonomyDto], description: 'Every version (for assessments checked against an older one)' })
  versions!: RootCauseTaxonomyDto[];
}

/**
 * The root-cause taxonomy a desk picks codes from: the version in force now, and every version (for old assessments): the
 * built-in ones and the firm's (TAXONOMY_FILE).
 */
@ApiTags('cases')
@Controller('taxonomy')
export class TaxonomyController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMPLAINT_POLICY) private readonly policy: ComplaintPolicy,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getTaxonomy', summary: 'The two-level root-cause taxonomy in force, and its versions' })
  @ApiOkResponse({ type: TaxonomiesDto, description: 'The version in force, and every version; a code is `<category>/<cause>`' })
  taxonomy(): Taxonomies {
    return { current: taxonomyAt(this.clock.now().toISOString(), this.policy.taxonomies), versions: this.policy.taxonomies };
  }
}
