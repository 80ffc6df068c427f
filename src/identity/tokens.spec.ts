import { mintToken, tokenVerifier } from './tokens';

describe('a verified token, remembered', () => {
  const keys = { secret: 'z'.repeat(32), issuer: 'redress', audience: 'redress-api' };
  afterEach(() => jest.useRealTimers());

  it('is accepted again while it lives, and refused as expired once its exp (and the leeway) has passed', async () => {
    // given a token accepted once
    const verify = tokenVerifier(keys);
    const token = await mintToken({ sub: 'alice', role: 'agent', ttl: '60s' }, keys);
    await expect(verify(token)).resolves.toEqual({ id: 'alice', role: 'agent' });

    // when it is sent again within its life, then past it
    jest.useFakeTimers({ now: Date.now() + 30_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    await expect(verify(token)).resolves.toEqual({ id: 'alice', role: 'agent' });
    jest.setSystemTime(Date.now() + 40_000);

    // then the second answer is the same actor, the third a refusal
    await expect(verify(token)).rejects.toThrow(/expired/);
  });

  it('is never remembered when it was refused: the same bad token is refused every time', async () => {
    // given a token for another audience
    const verify = tokenVerifier(keys);
    const token = await mintToken({ sub: 'alice', role: 'agent' }, { ...keys, audience: 'other' });

    // when it is sent twice, then both are refused
    await expect(verify(token)).rejects.toThrow(/audience/);
    await expect(verify(token)).rejects.toThrow(/audience/);
  });
});
