import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CASE_ACTIONS } from './commands/case-actions';
import { ReceiveComplaintController } from './commands/receive-complaint/receive-complaint.controller';
import { caseActionController } from './commands/shared/case-action.controller';
import { CaseCommandGateway } from './commands/shared/case-command.gateway';
import { COMPLAINT_DECIDER, ExecuteCaseCommandHandler } from './commands/shared/execute-case-command';
import { createComplaintPolicy } from './domain/complaint-policy';
import { complaintDecider } from './domain/complaint.decider';
import { CaseEventsController } from './queries/case-events/case-events.controller';

@Module({
  imports: [CqrsModule],
  controllers: [ReceiveComplaintController, ...CASE_ACTIONS.map(caseActionController), CaseEventsController],
  providers: [
    CaseCommandGateway,
    ExecuteCaseCommandHandler,
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
