import { caseAction } from '../shared/case-action';
import { ApplySystemFixDto } from './apply-system-fix.dto';

export const applySystemFix = caseAction({
  path: 'system-fix',
  operationId: 'applySystemFix',
  summary: 'Record a fix to the system that caused the complaint',
  description: 'Needs the complaint assessed as justified (or partly) with a systemic root cause. The response carries the `fixId`.',
  body: ApplySystemFixDto,
  toCommand: ({ body, newId }) => ({
    type: 'ApplySystemFix',
    data: {
      fixId: body.fixId ?? newId('fix'),
      description: body.description,
      procedureChange: body.procedureChange,
      effectiveFrom: body.effectiveFrom,
      customerNotified: body.customerNotified,
    },
  }),
  respondWith: (command): Record<string, string> => (command.type === 'ApplySystemFix' ? { fixId: command.data.fixId } : {}),
});
