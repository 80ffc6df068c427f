import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CLOCK, type Clock } from '../../../core/clock';
import { ROOT_CAUSE_TAXONOMIES, taxonomyAt, type RootCauseTaxonomy } from '../../domain/root-cause-taxonomy';

/** The root-cause taxonomy a desk picks codes from: the version in force now, and every version (for old assessments). */
@ApiTags('cases')
@Controller('taxonomy')
export class TaxonomyController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  @ApiOperation({ operationId: 'getTaxonomy', summary: 'The two-level root-cause taxonomy in force, and its versions' })
  @ApiOkResponse({ description: '{ current, versions }; a code is `<category>/<cause>`' })
  taxonomy(): { current: RootCauseTaxonomy; versions: readonly RootCauseTaxonomy[] } {
    return { current: taxonomyAt(this.clock.now().toISOString()), versions: ROOT_CAUSE_TAXONOMIES };
  }
}
