// What each kind of notification says, in Chinese and English. A notification stores its kind and
// values; it is rendered in the reader's language when shown in the inbox or when the e-mail is sent.

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const languageOf = (v: string | null | undefined): Language => (v && v.toLowerCase().startsWith('en') ? 'en' : 'zh-CN');

export type Channel = 'inbox' | 'email' | 'digest' | 'off';

export type Params = Record<string, unknown>;
/** Institution names the renderer looked up (params carry `institutionId`, not names that may change). */
export type Names = Map<string, { code: string; nameZh: string; nameEn: string }>;

interface Template {
  /** Who receives it, for the preferences page. */
  audience: 'staff' | 'learner' | 'any';
  /** How a user is told when they have not chosen. */
  default: Channel;
  zh: (p: Params, inst: string) => { title: string; body: string };
  en: (p: Params, inst: string) => { title: string; body: string };
}

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const reasonZh = (p: Params) => (p.reason ? `\n理由：${s(p.reason)}` : '');
const reasonEn = (p: Params) => (p.reason ? `\nReason: ${s(p.reason)}` : '');

const CERT_OUTCOME_ZH: Record<string, string> = { approved: '已通过', rejected: '未通过', more_info: '需要补充材料', revoked: '已撤销', withdrawn: '已撤回' };
const CERT_OUTCOME_EN: Record<string, string> = {
  approved: 'approved',
  rejected: 'rejected',
  more_info: 'returned for more information',
  revoked: 'revoked',
  withdrawn: 'withdrawn',
};
const CRED_KIND_ZH: Record<string, string> = {
  award: '毕业/结业',
  outcome: '课程成绩',
  certification: '学习成果认定',
  transfer: '学分转换',
  transcript: '成绩单',
  external: '',
};
const CRED_KIND_EN: Record<string, string> = {
  award: 'award',
  outcome: 'course result',
  certification: 'certification',
  transfer: 'credit transfer',
  transcript: 'transcript',
  external: '',
};
const IMPORT_KIND_ZH: Record<string, string> = { courses: '课程', programmes: '专业', learners: '学习者', results: '成绩', certifications: '证书' };

export const TEMPLATES: Record<string, Template> = {
  'queue.certification': {
    audience: 'staff',
    default: 'email',
    zh: (p) => ({
      title: `新的学习成果认定申请待审核：${s(p.title)}`,
      body: `一份学习成果认定申请（${s(p.title)}${p.credits ? `，申请 ${s(p.credits)} 学分` : ''}）已进入您的审核队列。`,
    }),
    en: (p) => ({
      title: `A certification application awaits review: ${s(p.title)}`,
      body: `A certification application (${s(p.title)}${p.credits ? `, ${s(p.credits)} credits asked` : ''}) has arrived in your review queue.`,
    }),
  },
  'decision.certification': {
    audience: 'learner',
    default: 'email',
    zh: (p) => ({
      title: `您的学习成果认定申请${CERT_OUTCOME_ZH[s(p.outcome)] ?? s(p.outcome)}：${s(p.title)}`,
      body:
        `您的申请“${s(p.title)}”${CERT_OUTCOME_ZH[s(p.outcome)] ?? s(p.outcome)}${p.credits ? `，认定 ${s(p.credits)} 学分` : ''}。${reasonZh(p)}` +
        (p.outcome === 'rejected' && p.appealBy ? `\n如有异议，可在 ${s(p.appealBy)} 之前在申请页面点击“申诉”，由专家委员会复议。` : '') +
        (p.outcome === 'more_info' ? '\n请在申请页面补充材料后重新提交。' : ''),
    }),
    en: (p) => ({
      title: `Your certification application was ${CERT_OUTCOME_EN[s(p.outcome)] ?? s(p.outcome)}: ${s(p.title)}`,
      body:
        `Your application “${s(p.title)}” was ${CERT_OUTCOME_EN[s(p.outcome)] ?? s(p.outcome)}${p.credits ? `, granting ${s(p.credits)} credits` : ''}.${reasonEn(p)}` +
        (p.outcome === 'rejected' && p.appealBy
          ? `\nIf you disagree, you may appeal until ${s(p.appealBy)}: open the application and choose “Appeal”; the expert committee reconsiders it.`
          : '') +
        (p.outcome === 'more_info' ? '\nAdd what is asked for on the application page and submit it again.' : ''),
    }),
  },
  'queue.evaluation': {
    audience: 'staff',
    default: 'email',
    zh: (p, inst) => ({ title: `新的课程评估任务：${s(p.count)} 门`, body: `有 ${s(p.count)} 门外校课程请求${inst}评估是否等同本校课程（${s(p.courses)}）。` }),
    en: (p, inst) => ({
      title: `New course evaluation tasks: ${s(p.count)}`,
      body: `${s(p.count)} course(s) of other institutions ask ${inst} for an equivalence evaluation (${s(p.courses)}).`,
    }),
  },
  'queue.transfer': {
    audience: 'staff',
    default: 'email',
    zh: (p, inst) => ({ title: `新的学分转换申请：${s(p.lines)} 门课程`, body: `一份转入${inst}的学分转换申请（${s(p.lines)} 门课程）等待决定。` }),
    en: (p, inst) => ({
      title: `A credit transfer application arrived: ${s(p.lines)} course(s)`,
      body: `A credit transfer application into ${inst} (${s(p.lines)} course(s)) awaits your decision.`,
    }),
  },
  'decision.transfer': {
    audience: 'learner',
    default: 'email',
    zh: (p, inst) => ({
      title: `${inst}已决定您的学分转换申请`,
      body:
        `${inst}已决定您的学分转换申请：${s(p.accepted)} 门认可，${s(p.rejected)} 门未认可。${p.reasons ? `\n${s(p.reasons)}` : ''}` +
        `\n如有异议，请在申请页面查看各门课程的理由，并联系${inst}教务处申请复核。`,
    }),
    en: (p, inst) => ({
      title: `${inst} decided your credit transfer application`,
      body:
        `${inst} decided your credit transfer application: ${s(p.accepted)} course(s) recognised, ${s(p.rejected)} not.${p.reasons ? `\n${s(p.reasons)}` : ''}` +
        `\nIf you disagree, read each line's reason on the application page and ask the registrar of ${inst} for a review.`,
    }),
  },
  'queue.award': {
    audience: 'staff',
    default: 'email',
    zh: (p) => ({ title: `新的毕业/结业申请：${s(p.programmeZh)}`, body: `一位学习者申请 ${s(p.programmeZh)} 的毕业/结业，等待审核。` }),
    en: (p) => ({
      title: `An award application arrived: ${s(p.programmeEn)}`,
      body: `A learner applied for the award of ${s(p.programmeEn)}; it awaits your decision.`,
    }),
  },
  'decision.award': {
    audience: 'learner',
    default: 'email',
    zh: (p) => ({
      title: `您的 ${s(p.programmeZh)} 毕业/结业申请${CERT_OUTCOME_ZH[s(p.outcome)] ?? s(p.outcome)}`,
      body: `您的 ${s(p.programmeZh)} 毕业/结业申请${CERT_OUTCOME_ZH[s(p.outcome)] ?? s(p.outcome)}。${reasonZh(p)}${p.outcome === 'approved' ? '' : '\n如有异议，请联系该机构教务处申请复核；补齐要求后可重新申请。'}`,
    }),
    en: (p) => ({
      title: `Your award application for ${s(p.programmeEn)} was ${CERT_OUTCOME_EN[s(p.outcome)] ?? s(p.outcome)}`,
      body: `Your award application for ${s(p.programmeEn)} was ${CERT_OUTCOME_EN[s(p.outcome)] ?? s(p.outcome)}.${reasonEn(p)}${p.outcome === 'approved' ? '' : '\nIf you disagree, ask the institution’s registrar for a review; once the requirements are met you may apply again.'}`,
    }),
  },
  'queue.identity': {
    audience: 'staff',
    default: 'email',
    zh: (p, inst) => ({
      title: `新的身份冲突：${s(p.count)} 条`,
      body: `${inst}提交的 ${s(p.count)} 条注册与已有学习者的身份证件相同，等待学习者确认或管理员决定。`,
    }),
    en: (p, inst) => ({
      title: `New identity conflicts: ${s(p.count)}`,
      body: `${s(p.count)} enrolment(s) submitted by ${inst} give the identity document of a learner on record; they wait for the learner or an administrator.`,
    }),
  },
  'enrolment.request': {
    audience: 'learner',
    default: 'email',
    zh: (p, inst) => ({
      title: `${inst}请求为您注册`,
      body: `${inst}以学号 ${s(p.externalId)} 提交了与您身份证件相同的注册。请登录学分银行，在“我的账户”中确认或拒绝；确认前该机构看不到您的记录。`,
    }),
    en: (p, inst) => ({
      title: `${inst} asks to enrol you`,
      body: `${inst} submitted an enrolment under student number ${s(p.externalId)} with your identity document. Sign in to the credit bank and confirm or decline it in your account; until you confirm, the institution sees none of your records.`,
    }),
  },
  'credential.issued': {
    audience: 'learner',
    default: 'email',
    zh: (p, inst) => ({
      title: `${inst}为您签发了${CRED_KIND_ZH[s(p.credentialKind)] ?? ''}数字证书`,
      body: `${inst}为您签发了一份${CRED_KIND_ZH[s(p.credentialKind)] ?? ''}可验证数字证书，可在“我的证书”中查看、下载和分享。`,
    }),
    en: (p, inst) => ({
      title: `${inst} issued you a ${CRED_KIND_EN[s(p.credentialKind)] ?? ''} credential`,
      body: `${inst} issued you a verifiable ${CRED_KIND_EN[s(p.credentialKind)] ?? ''} credential; see, download and share it under “My credentials”.`,
    }),
  },
  'credential.revoked': {
    audience: 'learner',
    default: 'email',
    zh: (p, inst) => ({
      title: `${inst}撤销了您的一份数字证书`,
      body: `${inst}撤销了您的一份${CRED_KIND_ZH[s(p.credentialKind)] ?? ''}数字证书，验证时将显示为已撤销。${reasonZh(p)}\n如有异议，请联系${inst}。`,
    }),
    en: (p, inst) => ({
      title: `${inst} revoked one of your credentials`,
      body: `${inst} revoked your ${CRED_KIND_EN[s(p.credentialKind)] ?? ''} credential; verifiers will see it as revoked.${reasonEn(p)}\nIf you disagree, contact ${inst}.`,
    }),
  },
  'import.finished': {
    audience: 'staff',
    default: 'inbox',
    zh: (p) => ({
      title: `${IMPORT_KIND_ZH[s(p.importKind)] ?? s(p.importKind)}导入${p.status === 'failed' ? '失败' : '完成'}${p.filename ? `：${s(p.filename)}` : ''}`,
      body: p.status === 'failed' ? `导入未完成，未做任何更改。${s(p.message)}` : `接受 ${s(p.accepted)} 行，拒绝 ${s(p.rejected)} 行。${s(p.message)}`,
    }),
    en: (p) => ({
      title: `The ${s(p.importKind)} import ${p.status === 'failed' ? 'failed' : 'finished'}${p.filename ? `: ${s(p.filename)}` : ''}`,
      body:
        p.status === 'failed'
          ? `The import did not finish; nothing was changed. ${s(p.message)}`
          : `${s(p.accepted)} row(s) accepted, ${s(p.rejected)} refused. ${s(p.message)}`,
    }),
  },
  'queue.erasure': {
    audience: 'staff',
    default: 'email',
    zh: () => ({ title: '学习者请求删除个人信息', body: '一位学习者请求删除其个人信息，等待学分银行管理员批准或拒绝（拒绝须说明理由）。' }),
    en: () => ({
      title: 'A learner asks to erase their personal data',
      body: 'A learner asks the bank to erase their personal data; it awaits an administrator, who approves it or declines it with a reason.',
    }),
  },
  'decision.erasure': {
    audience: 'learner',
    default: 'email',
    zh: (p) =>
      p.outcome === 'approved'
        ? {
            title: '您的个人信息已删除',
            body: '学分银行已批准您的删除请求：您的姓名已替换为化名，出生日期、电子邮箱和身份证件已删除，登录已关闭，已签发的数字证书已撤销。学分记录和公开日志中不含您个人信息的部分仍可验证。这是我们发送给您的最后一封邮件，发送后此邮箱地址即被删除。',
          }
        : {
            title: '您的个人信息删除请求未获批准',
            body: `学分银行管理员拒绝了您删除个人信息的请求。${reasonZh(p)}
您的账户和数据保持不变；如有异议，可在“我的账户”中重新提出请求。`,
          },
    en: (p) =>
      p.outcome === 'approved'
        ? {
            title: 'Your personal data was erased',
            body: 'The credit bank approved your erasure request: your name was replaced by a pseudonym, your birth date, e-mail and identity document were removed, your sign-in was closed and the credentials issued to you were revoked. The credit records and the public log, which hold nothing of you as a person, still verify. This is the last e-mail we send you; once it is sent the address is removed.',
          }
        : {
            title: 'Your erasure request was declined',
            body: `An administrator of the credit bank declined your request to erase your personal data.${reasonEn(p)}
Your account and data are unchanged; if you disagree you may ask again under “My account”.`,
          },
  },
  'queue.link_request': {
    audience: 'staff',
    default: 'email',
    zh: (p, inst) => ({ title: '学习者请求关联学籍记录', body: `一位学习者请求将其学分银行账户与${inst}的学号 ${s(p.externalId)} 关联，等待教务处处理。` }),
    en: (p, inst) => ({
      title: 'A learner asks to link their records',
      body: `A learner asks to link their credit bank account to student number ${s(p.externalId)} at ${inst}; it awaits the registrar.`,
    }),
  },
};

export const KINDS = Object.keys(TEMPLATES);
export const isKind = (k: string) => Object.hasOwn(TEMPLATES, k);

function institutionName(p: Params, names: Names, lang: Language) {
  const i = typeof p.institutionId === 'string' ? names.get(p.institutionId) : undefined;
  if (!i) return lang === 'en' ? 'the institution' : '该机构';
  return lang === 'en' ? i.nameEn : i.nameZh;
}

export function render(kind: string, params: Params, lang: Language, names: Names): { title: string; body: string } {
  const t = TEMPLATES[kind];
  if (!t) return { title: kind, body: '' };
  return t[lang === 'en' ? 'en' : 'zh'](params, institutionName(params, names, lang));
}

const FOOTER = {
  'zh-CN': (url: string) => `\n\n查看详情：${url}\n\n——学分银行\n在“通知设置”中可选择每类通知的接收方式（站内、邮件、每日汇总或关闭）：`,
  en: (url: string) =>
    `\n\nDetails: ${url}\n\n— The Credit Bank\nChoose how you are told of each kind (in-app, e-mail, daily digest or off) in your notification settings: `,
};

/** The e-mail of one notification. */
export function renderMail(kind: string, params: Params, link: string | null, lang: Language, names: Names, publicUrl: string) {
  const { title, body } = render(kind, params, lang, names);
  const subject = lang === 'en' ? `[Credit Bank] ${title}` : `【学分银行】${title}`;
  return { subject, text: `${body}${FOOTER[lang](`${publicUrl}${link ?? '/notifications'}`)}${publicUrl}/notifications/settings\n` };
}

/** One e-mail for the day's notifications of the kinds a user wants in a digest. */
export function renderDigest(items: { kind: string; params: Params; link: string | null }[], lang: Language, names: Names, publicUrl: string) {
  const lines = items.map((i, n) => {
    const { title } = render(i.kind, i.params, lang, names);
    return `${n + 1}. ${title}${i.link ? `\n   ${publicUrl}${i.link}` : ''}`;
  });
  const subject = lang === 'en' ? `[Credit Bank] Your daily digest: ${items.length} notification(s)` : `【学分银行】每日通知汇总：${items.length} 条`;
  const head = lang === 'en' ? 'What happened since your last digest:' : '自上次汇总以来的通知：';
  return { subject, text: `${head}\n\n${lines.join('\n')}${FOOTER[lang](`${publicUrl}/notifications`)}${publicUrl}/notifications/settings\n` };
}
