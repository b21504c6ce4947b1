import { describe, expect, it } from 'vitest';
import { claimContentType, InstrumentationKit, isClaimedContentType } from '../../../src/instrument';

describe('claimed content types', () => {
  it('a claim covers its type, its +suffix forms and parameters, in any case, and lapses with its kit', () => {
    expect(isClaimedContentType('application/x-claim-test')).toBe(false);
    const kit = new InstrumentationKit('claim-test');
    claimContentType(kit, 'application/x-claim-test');
    claimContentType(kit, 'application/x-claim-test');
    for (const t of ['application/x-claim-test', 'application/x-claim-test+proto', 'Application/X-Claim-Test; charset=utf-8']) {
      expect(isClaimedContentType(t)).toBe(true);
    }
    for (const t of ['application/x-claim-testing', 'application/json', undefined, 42, ['application/x-claim-test']]) {
      expect(isClaimedContentType(t)).toBe(false);
    }
    kit.active = false;
    expect(isClaimedContentType('application/x-claim-test')).toBe(false);
  });
});
