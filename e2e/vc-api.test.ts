// Issue 18, the standards in a real browser: HXU's academic-affairs system (an API token with the
// "issue" scope) issues a plain VC 2.0 credential through the VC-API, with a type the bank has never
// heard of; an employer pastes it into /verify and reads it valid, from an institution of this bank. Then a credential signed
// elsewhere (a did:key of its own, eddsa-rdfc-2022, made here with the Digital Bazaar libraries)
// reads valid but not of this bank (and its revocation not checked: it names no status list), and the same with one changed word reads altered.
import assert from 'node:assert/strict';
import { test, type Page } from '@playwright/test';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as rdfc } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { securityLoader } from '@digitalbazaar/security-document-loader';
import * as vc from '@digitalbazaar/vc';
import { browserSession, signedInApi } from './harness.js';

const session = browserSession();
const { newPage, shot } = session;
const VC_V2 = 'https://www.w3.org/ns/credentials/v2';

async function verifyPasted(page: Page, credential: unknown) {
  await page.goto(`${session.url}/verify`);
  await page.getByTestId('verify-input').fill(JSON.stringify(credential, null, 2));
  await page.getByTestId('verify-submit').click();
  const status = page.getByTestId('verify-status');
  await status.waitFor();
  return status;
}

test.describe('plain VC 2.0 through the VC-API, and a credential from elsewhere', () => {
  test('HXU’s system issues a plain VC 2.0 credential that verifies on /verify; a foreign did:key credential verifies as not of this bank', async () => {
    const registrar = await signedInApi(session.url, 'registrar.hxu');
    const institutions = await registrar<{ items: { id: string; code: string }[] }>('/institutions');
    const hxu = institutions.items.find((i) => i.code === 'HXU');
    assert.ok(hxu, 'the demo has HXU');
    const { token } = await registrar<{ token: string }>(`/institutions/${hxu.id}/api-tokens`, { name: 'VC-API e2e', scopes: ['issue'] });

    const credential = {
      '@context': [VC_V2, { MembershipCredential: 'https://example.edu/vocab#MembershipCredential', memberOf: 'https://example.edu/vocab#memberOf' }],
      type: ['VerifiableCredential', 'MembershipCredential'],
      issuer: { id: 'placeholder' },
      credentialSubject: { id: 'did:example:learner-e2e', memberOf: 'Computing Society' },
    };
    // the issuer is the institution's own did:web, as its issuer page says
    const issuerInfo = await registrar<{ did: string }>(`/institutions/${hxu.id}/issuer`);
    credential.issuer = { id: issuerInfo.did };
    const res = await fetch(`${session.url}/api/v1/credentials/issue`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ credential, options: { cryptosuite: 'eddsa-rdfc-2022' } }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, text);
    const issued = (JSON.parse(text) as { verifiableCredential: Record<string, unknown> }).verifiableCredential;
    assert.deepEqual(issued.type, ['VerifiableCredential', 'MembershipCredential'], 'the type is the caller’s');
    assert.equal((issued.proof as { cryptosuite: string }).cryptosuite, 'eddsa-rdfc-2022');

    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await newPage(lang);
      const status = await verifyPasted(page, issued);
      assert.equal(await status.getAttribute('data-status'), 'valid', await page.getByTestId('verify-result').innerText());
      await page
        .getByTestId('verify-result')
        .getByText(lang === 'en' ? 'Member of this credit bank' : '本平台院校')
        .waitFor();
      await shot(page, `vc-api-plain-${lang === 'en' ? 'en' : 'zh'}`);
      await page.context().close();
    }

    // signed elsewhere: a did:key of its own
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const foreign = await vc.issue({
      credential: {
        '@context': [VC_V2],
        type: ['VerifiableCredential'],
        issuer: did,
        validFrom: '2026-01-01T00:00:00Z',
        credentialSubject: { id: 'did:example:learner-e2e', name: 'Alex Example' },
      },
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: rdfc }),
      documentLoader: securityLoader().build(),
    });
    for (const lang of ['zh-CN', 'en'] as const) {
      const page = await newPage(lang);
      const status = await verifyPasted(page, foreign);
      assert.equal(await status.getAttribute('data-status'), 'valid', await page.getByTestId('verify-result').innerText());
      assert.equal(
        await page
          .getByTestId('verify-result')
          .getByText(lang === 'en' ? 'Member of this credit bank' : '本平台院校')
          .count(),
        0,
        'not said to be of this bank',
      );
      await page.getByTestId('verify-not-of-this-bank').waitFor();
      // it names no status list: not checked, and said so
      assert.equal(await page.locator('[data-check="status"]').getAttribute('data-state'), 'skipped');
      assert.match(await page.getByTestId('verify-subtitle').innerText(), lang === 'en' ? /cannot be checked/ : /无法查询/);
      await shot(page, `vc-api-foreign-${lang === 'en' ? 'en' : 'zh'}`);

      const altered = JSON.parse(JSON.stringify(foreign).replace('Alex Example', 'Alex Exampel'));
      const bad = await verifyPasted(page, altered);
      assert.notEqual(await bad.getAttribute('data-status'), 'valid');
      assert.match(await page.getByTestId('verify-errors').innerText(), lang === 'en' ? /The signature does not match the content/ : /签名与内容不符/);
      await page.context().close();
    }
  });
});
