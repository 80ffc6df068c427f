import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DeadlinesController } from './queries/deadlines/deadlines.controller';
import { DeadlinesHandler } from './queries/deadlines/deadlines.query';
import { LoyaltyOutcomesController } from './queries/loyalty-outcomes/loyalty-outcomes.controller';
import { LoyaltyOutcomesHandler } from './queries/loyalty-outcomes/loyalty-outcomes.query';
import { BootstrapThreads } from './queries/shared/bootstrap-threads';
import { SystemicIssuesController } from './queries/systemic-issues/systemic-issues.controller';
import { SystemicIssuesHandler } from './queries/systemic-issues/systemic-issues.query';

/** The analysts' questions over the loyalty read model (its projection is registered in read-models.ts). */
@Module({
  imports: [CqrsModule],
  controllers: [LoyaltyOutcomesController, SystemicIssuesController, DeadlinesController],
  providers: [
    LoyaltyOutcomesHandler,
    SystemicIssuesHandler,
    DeadlinesHandler,
    { provide: BootstrapThreads, useFactory: () => new BootstrapThreads() },
  ],
})
export class LoyaltyModule {}
