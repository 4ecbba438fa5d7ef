// Enrolling a person whose ID document is on record at another institution (issue 17): JNVC's
// registrar enrols them from the drawer under another spelling of the name and is told the enrolment
// waits for the person, without learning anything of the account on record; the learner finds the
// request on their account page, accepts it, and JNVC sees them enrolled. Screenshots in both languages.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { residentIdCheckChar } from '../src/core/identity.js';
import { browserSession, PASSWORD, signedInApi } from './harness.js';
import { confirmAccepted, pick } from './ui.js';

const session = browserSession();
const { newPage, signIn, shot } = session;
const api = (username: string) => signedInApi(session.url, username);

const birth = '2002-11-23';
const first17 = `320102${birth.replace(/-/g, '')}457`;
const idNumber = `${first17}${residentIdCheckChar(first17)}`;

async function institutionId(code: string) {
  const { items } = await (await api('admin'))<{ items: { id: string; code: string }[] }>('/institutions');
  return items.find((i) => i.code === code)!.id;
}

test.describe('an enrolment held for the person to confirm', () => {
  test('JNVC enrols a learner of HXU under another name; the learner accepts it in their account', async () => {
    const [hxu, jnvc] = [await institutionId('HXU'), await institutionId('JNVC')];
    const made = await (
      await api('registrar.hxu')
    )<{ outcome: string; id: string }>(`/institutions/${hxu}/learners`, {
      fullName: '周晓明',
      birthDate: birth,
      idType: 'resident_id',
      idNumber,
      externalId: 'E2E-ZXM',
      login: { username: 'e2e-zhou', password: PASSWORD },
    });
    assert.equal(made.outcome, 'created');

    const page = await newPage('zh-CN');
    await signIn(page, 'registrar.jnvc');
    await page.goto(`${session.url}/institution/learners`);
    await page.getByTestId('learners-enrol').click();
    const drawer = page.locator('.ant-drawer-content');
    await drawer.getByTestId('learner-field-external-id').fill('JN-E2E-01');
    await drawer.getByTestId('learner-field-full-name').fill('周小明');
    await pick(page, drawer.getByTestId('id-type'), '居民身份证');
    await drawer.getByTestId('id-number').fill(idNumber);
    await drawer.getByTestId('learner-form-submit').click();
    const modal = page.locator('.ant-modal-confirm');
    await modal.locator('.ant-modal-confirm-title').getByText('等待本人确认').waitFor();
    assert.match(await modal.innerText(), /学号 JN-E2E-01 的证件已在学分银行以另一姓名或出生日期登记/);
    assert.doesNotMatch(await modal.innerText(), /周晓明|HXU|华夏/, 'nothing of the learner on record is shown');
    await shot(page, 'enrolment-held-zh', false);
    await page.getByTestId('learner-held-ok').click();
    const held = page.getByTestId('held-enrolments');
    await held.getByText('JN-E2E-01').waitFor();
    await held.getByText('等待学习者确认').waitFor();
    assert.equal(await page.getByTestId('learners-table').getByText('JN-E2E-01').count(), 0);
    await held.scrollIntoViewIfNeeded();
    await shot(page, 'enrolment-held-card-zh');

    const learner = await newPage('en');
    await signIn(learner, 'e2e-zhou');
    await learner.goto(`${session.url}/account`);
    const card = learner.getByTestId('my-enrolment-requests');
    await card.getByText('JN-E2E-01').waitFor();
    await card.getByText('周小明').waitFor();
    await shot(learner, 'enrolment-request-en', false);
    await card.getByTestId('enrolment-request-accept').click();
    await learner
      .locator('.ant-modal-confirm')
      .getByText(/will enrol you under student number JN-E2E-01/)
      .waitFor();
    await confirmAccepted(learner.getByTestId('enrolment-request-confirm'));
    await learner.locator('.ant-message-notice').getByText('Accepted: you are enrolled at the institution').waitFor();
    await card.waitFor({ state: 'detached' });
    await learner.context().close();

    // JNVC now lists the learner, and its card says the enrolment went through
    const listed = await (await api('registrar.jnvc'))<{ items: { externalId: string }[] }>(`/institutions/${jnvc}/learners?q=JN-E2E-01`);
    assert.deepEqual(
      listed.items.map((l) => l.externalId),
      ['JN-E2E-01'],
    );
    await page.reload();
    await page.getByTestId('held-enrolments').getByText('已注册').waitFor();
    await page.context().close();
  });
});
