import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CASE_ACTIONS } from './commands/case-actions';
import { DeadlineClock } from './deadline-clock/deadline-clock.service';
import { ReceiveComplaintController } from './commands/receive-complaint/receive-complaint.controller';
import { caseActionController } from './commands/shared/case-action.controller';
import { CaseCommandGateway } from './commands/shared/case-command.gateway';
import { COMPLAINT_DECIDER, ExecuteCaseCommandHandler } from './commands/shared/execute-case-command';
import { createComplaintPolicy } from './domain/complaint-policy';
import { complaintDecider } from './domain/complaint.decider';
import { CaseEventsController } from './queries/case-events/case-events.controller';
import { CustomerCasesController } from './queries/customer-cases/customer-cases.controller';
import { CustomerCasesHandler } from './queries/customer-cases/customer-cases.query';
import { GetCaseController } from './queries/get-case/get-case.controller';
import { GetCaseHandler } from './queries/get-case/get-case.query';
import { ListCasesController } from './queries/list-cases/list-cases.controller';
import { ListCasesHandler } from './queries/list-cases/list-cases.query';

@Module({
  imports: [CqrsModule],
  controllers: [
    ReceiveComplaintController,
    ...CASE_ACTIONS.map(caseActionController),
    ListCasesController,
    GetCaseController,
    CaseEventsController,
    CustomerCasesController,
  ],
  providers: [
    CaseCommandGateway,
    ExecuteCaseCommandHandler,
    GetCaseHandler,
    ListCasesHandler,
    CustomerCasesHandler,
    DeadlineClock,
    {
      provide: COMPLAINT_DECIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => complaintDecider(createComplaintPolicy({
        reopenWindowDays: config.reopenWindowDays,
        goodwillLimits: config.goodwillLimits,
      })),
    },
  ],
})
export class ComplaintsModule {}
