import { describe, expect, it } from 'vitest';
import { credentialPdfUrl, holderOf, isLiveShare, jsonFileName, type Share } from './credentials';

describe('credential helpers', () => {
  it('names the JSON file after the credential, without characters file systems refuse', () => {
    expect(jsonFileName('学分银行学士（计算机） (Credit-bank Bachelor of Computing)')).toBe('学分银行学士（计算机） (Credit-bank Bachelor of Computing).json');
    expect(jsonFileName('A/B: "C"?')).toBe('A_B_ _C_.json');
    expect(jsonFileName('bad\u0001name')).toBe('bad_name.json');
    expect(jsonFileName('  ')).toBe('credential.json');
  });

  it('reads the holder’s names and account number from the OB 3.0 identifiers, skipping hashed ones', () => {
    const document = {
      credentialSubject: {
        identifier: [
          { type: 'IdentityObject', identityHash: '张伟', identityType: 'name', hashed: false },
          { type: 'IdentityObject', identityHash: 'Zhang Wei', identityType: 'name', hashed: false },
          { type: 'IdentityObject', identityHash: 'sha256$abc', identityType: 'name', hashed: true },
          { type: 'IdentityObject', identityHash: 'CB364178714804', identityType: 'identifier', hashed: false },
        ],
      },
    };
    expect(holderOf(document)).toEqual({ names: ['张伟', 'Zhang Wei'], accountNo: 'CB364178714804' });
    expect(holderOf({})).toEqual({ names: [], accountNo: null });
  });

  it('counts a share link live until it expires or is withdrawn', () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    const share = (expiresAt: string, revokedAt: string | null = null): Share => ({
      id: 'x',
      url: '',
      hideName: false,
      expiresAt,
      revokedAt,
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(isLiveShare(share('2026-01-11T00:00:00Z'), now)).toBe(true);
    expect(isLiveShare(share('2026-01-09T00:00:00Z'), now)).toBe(false);
    expect(isLiveShare(share('2026-01-11T00:00:00Z', '2026-01-05T00:00:00Z'), now)).toBe(false);
  });

  it('links the printable PDF of a credential to one of its share links', () => {
    expect(credentialPdfUrl('5f0c-1', 'AbC_d-9')).toBe('/api/v1/credentials/5f0c-1/pdf?share=AbC_d-9');
  });
});
