import { IsInt, IsString, validate } from 'class-validator';
import { rememberValidationMetadata } from './validation';

class Note {
  @IsString()
  text!: unknown;

  count!: unknown;
}

describe("a DTO's validation rules, remembered per class", () => {
  beforeAll(() => rememberValidationMetadata());

  it('apply on every validation, and a rule registered later is applied from then on', async () => {
    // given a note whose text is a number, validated once
    const note = Object.assign(new Note(), { text: 42, count: 'many' });
    expect((await validate(note)).map((error) => error.property)).toEqual(['text']);

    // when a rule for count is registered afterwards
    IsInt()(Note.prototype, 'count');

    // then both rules apply
    expect((await validate(note)).map((error) => error.property).sort()).toEqual(['count', 'text']);
  });
});
