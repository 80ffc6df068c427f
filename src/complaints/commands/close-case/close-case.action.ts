import { caseAction } from '../shared/case-action';
import { CloseCaseDto } from './close-case.dto';

export const closeCase = caseAction({
  path: 'close',
  operationId: 'closeCase',
  summary: 'Close the case',
  description: 'Closes the case; a case neither followed up nor withdrawn needs an explicit reason. Accepted goodwill must be fulfilled first.',
  body: CloseCaseDto,
  toCommand: ({ body }) => ({ type: 'CloseCase', data: body }),
});
