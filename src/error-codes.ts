// The one list of codes a problem+json answer may carry (issue 21). Clients branch on `code`, never on
// the English `detail`; a code's parameters stand beside it in the answer (e.g. `retryAfter`, `uses`).
// docs/errors.md is generated from this list (`npm run docs:errors`); a test fails when it is stale.
// A code is forever: rename none, remove none; add new ones at the end of their group.

export interface ErrorCodeInfo {
  /** The HTTP status the code is sent with. */
  status: number;
  /** What the code means, in English: the words of docs/errors.md. */
  en: string;
  /** The same in Chinese. */
  zh: string;
  /** Parameters sent beside the code, by name, with what they hold. */
  params?: Record<string, string>;
}

const codes = {
  // ── generic: one per kind of refusal, for every error that has no more specific code ──
  invalid: { status: 400, en: 'The request is not valid; `errors[]` names the field.', zh: '请求无效；`errors[]` 指出出错的字段。' },
  validation_failed: {
    status: 400,
    en: 'The request does not match its schema; `errors[]` lists each failing field.',
    zh: '请求不符合接口定义；`errors[]` 列出每个出错的字段。',
  },
  invalid_json: { status: 400, en: 'The body is not valid JSON.', zh: '请求体不是有效的 JSON。' },
  value_out_of_range: {
    status: 400,
    en: 'A value is out of range, too long, or in the wrong format (refused by the database).',
    zh: '某个值超出范围、过长或格式错误（被数据库拒绝）。',
  },
  unauthorized: { status: 401, en: 'Sign in first, or the credentials are not accepted.', zh: '请先登录，或凭据未被接受。' },
  forbidden: { status: 403, en: 'The caller may not do this.', zh: '调用者无权执行此操作。' },
  not_found: { status: 404, en: 'The record does not exist (or is not visible to the caller).', zh: '记录不存在（或调用者无权查看）。' },
  no_route: { status: 404, en: 'No route answers this method and path.', zh: '没有与此方法和路径对应的接口。' },
  method_not_allowed: { status: 405, en: 'The route does not accept this method.', zh: '该接口不接受此请求方法。' },
  not_acceptable: { status: 406, en: 'The server cannot answer in a format the caller accepts.', zh: '服务器无法以调用者接受的格式应答。' },
  conflict: { status: 409, en: 'The request conflicts with the current state of the record.', zh: '请求与记录的当前状态冲突。' },
  duplicate: {
    status: 409,
    en: 'A record with the same key already exists (perhaps just created by another request).',
    zh: '已存在相同键的记录（可能刚由另一请求创建）。',
  },
  reference_conflict: {
    status: 409,
    en: 'The record refers to something that does not exist, or is still referred to.',
    zh: '记录引用了不存在的对象，或仍被其他记录引用。',
  },
  version_conflict: { status: 409, en: 'Someone changed the record meanwhile; reload it and try again.', zh: '记录已被他人修改，请刷新后重试。' },
  transient: { status: 409, en: 'The request collided with another; repeat it.', zh: '请求与另一请求冲突，请重试。' },
  precondition_failed: {
    status: 412,
    en: 'The record changed since the version the caller sent (If-Match); reload it.',
    zh: '记录已不是调用者提交的版本（If-Match），请刷新。',
    params: { currentVersion: 'the version now stored, when known' },
  },
  too_large: {
    status: 413,
    en: 'The body or file is larger than this server accepts.',
    zh: '请求体或文件超过服务器允许的大小。',
    params: { maxMiB: 'the largest size accepted, in MiB, when known' },
  },
  unsupported_media_type: {
    status: 415,
    en: 'The content type is not accepted here; send application/json.',
    zh: '不接受此内容类型，请发送 application/json。',
  },
  unprocessable: { status: 422, en: 'The request is well formed but breaks a rule.', zh: '请求格式正确，但违反了业务规则。' },
  rule_violated: {
    status: 422,
    en: 'A rule of the data was broken (refused by the database).',
    zh: '违反了数据规则（被数据库拒绝）。',
    params: { constraint: 'the rule broken, when known' },
  },
  rate_limited: {
    status: 429,
    en: 'Too many requests; wait `retryAfter` seconds (also sent as Retry-After).',
    zh: '请求过多，请等待 `retryAfter` 秒后重试。',
    params: { retryAfter: 'seconds to wait' },
  },
  internal: { status: 500, en: 'Something went wrong on the server; it has been logged.', zh: '服务器内部错误，已记录日志。' },
  unavailable: { status: 503, en: 'The server is starting, stopping, or cannot reach its database.', zh: '服务器正在启动或停止，或无法连接数据库。' },

  // ── sign-in and requests ──
  invalid_credentials: { status: 401, en: 'Wrong username or password.', zh: '用户名或密码错误。' },
  api_token_invalid: { status: 401, en: 'The API token is unknown, revoked or expired.', zh: 'API 令牌无效、已撤销或已过期。' },
  password_reset_required: { status: 403, en: 'An administrator asked the user to choose a new password.', zh: '管理员要求该用户重设密码。' },
  email_not_verified: { status: 403, en: 'The user must verify their e-mail address first.', zh: '用户须先验证电子邮箱。' },
  login_throttled: {
    status: 429,
    en: 'Too many failed sign-ins; wait `retryAfter` seconds.',
    zh: '登录失败次数过多，请等待 `retryAfter` 秒。',
    params: { retryAfter: 'seconds to wait' },
  },
  identity_lookups_throttled: {
    status: 429,
    en: 'Too many identity-document look-ups this hour.',
    zh: '本小时身份证件查询次数过多。',
    params: { perHour: 'look-ups allowed per user per hour', retryAfter: 'seconds to wait, when sent' },
  },
  cross_site_request: { status: 403, en: 'A state-changing request came from another site and was refused.', zh: '来自其他站点的修改请求被拒绝。' },
  idempotency_in_progress: {
    status: 409,
    en: 'A request with this Idempotency-Key is still being processed; repeat it later for its answer.',
    zh: '使用相同 Idempotency-Key 的请求仍在处理中，请稍后重试以获取结果。',
  },
  idempotency_key_reused: { status: 422, en: 'This Idempotency-Key was used for a different request.', zh: '此 Idempotency-Key 已用于另一个不同的请求。' },
  file_required: {
    status: 400,
    en: 'Send the file as multipart/form-data in a field named "file".',
    zh: '请以 multipart/form-data 上传名为 "file" 的文件字段。',
  },
  file_type_not_accepted: {
    status: 400,
    en: 'The file is not of a type accepted here (its content was checked, not its name).',
    zh: '文件类型不被接受（按内容判断，而非文件名）。',
  },
  invitation_invalid: {
    status: 400,
    en: 'The activation code is unknown, was used already, was replaced by a newer one or has expired (one answer for all).',
    zh: '激活码无效、已使用、已被新激活码取代或已过期（统一答复）。',
  },

  // ── records that already exist ──
  code_taken: {
    status: 409,
    en: 'Another record already uses this code or name.',
    zh: '该代码或名称已被其他记录使用。',
    params: { value: 'the code or name' },
  },
  student_number_taken: {
    status: 409,
    en: 'The student number is already enrolled at this institution.',
    zh: '该学号已在本机构注册。',
    params: { externalId: 'the student number' },
  },
  already_enrolled: { status: 409, en: 'The learner is already enrolled at this institution.', zh: '该学习者已在本机构注册。' },
  identity_held: {
    status: 409,
    en: 'The identity document is on record under another name, birth date or student number.',
    zh: '该身份证件已以其他姓名、出生日期或学号登记。',
  },
  outcome_already_recorded: {
    status: 409,
    en: 'A result for this course, term and attempt is already recorded; correct it instead.',
    zh: '该课程、学期和考试次数的成绩已登记，请改为更正。',
    params: { course: 'course code', term: 'term', attempt: 'attempt' },
  },
  certificate_already_used: {
    status: 409,
    en: 'This certificate has already earned credits (a certificate earns credits once).',
    zh: '该证书已获得过学分（一个证书只能获得一次学分）。',
    params: { certificateNo: 'the certificate number' },
  },
  learner_has_sign_in: { status: 409, en: 'The learner can sign in already: there is nothing to invite them to.', zh: '该学习者已有登录账号，无需邀请。' },

  // ── state of a record ──
  stale_version: {
    status: 409,
    en: 'The record changed since the version the caller read (`expectedVersion`); reload and decide again.',
    zh: '记录已不是调用者读取时的版本（expectedVersion），请刷新后重新决定。',
    params: { state: 'the record’s status now' },
  },
  invalid_state: {
    status: 409,
    en: 'The record is in a state in which this is not possible.',
    zh: '记录当前的状态不允许此操作。',
    params: { state: 'the record’s status now' },
  },
  already_decided: {
    status: 409,
    en: 'The request or application was already decided, withdrawn or answered.',
    zh: '该请求或申请已被决定、撤回或处理。',
    params: { state: 'its status now, when known' },
  },
  outcome_superseded: {
    status: 409,
    en: 'The result is no longer the recorded one (superseded or withdrawn); work on its current version.',
    zh: '该成绩已不是当前记录（已被取代或撤回），请操作其当前版本。',
    params: { state: 'the result’s status now' },
  },
  account_not_open: {
    status: 409,
    en: 'The learning account is not open; no credits can be posted to it.',
    zh: '学习账户未处于开放状态，不能记入学分。',
    params: { state: 'the account’s status' },
  },
  credit_already_used: {
    status: 409,
    en: 'A credit already has a live use (a transfer or an award); withdraw that use first.',
    zh: '学分已有一项有效用途（转换或授予），请先撤回该用途。',
    params: { uses: 'the live uses: credit, label, useType, useId, institution, since' },
  },
  credential_revoked: { status: 409, en: 'The credential is revoked.', zh: '该凭证已被撤销。' },
  credential_stopped: {
    status: 409,
    en: 'The issuer revoked or suspended this record’s credential; ask its registrar first.',
    zh: '签发机构已撤销或暂停该记录的凭证，请先联系其教务。',
    params: { state: 'revoked or suspended' },
  },
  nothing_to_issue: { status: 409, en: 'There are no passing results to put on this document.', zh: '没有可写入此文件的合格成绩。' },
  share_link_revoked: { status: 404, en: 'The learner withdrew this share link.', zh: '学习者已撤回此分享链接。' },
  share_link_expired: { status: 404, en: 'This share link has expired.', zh: '此分享链接已过期。', params: { expiredOn: 'the date it expired' } },
  name_not_hideable: {
    status: 422,
    en: 'This kind of credential cannot be shared with the name hidden; share it as issued.',
    zh: '此类凭证不能隐藏姓名分享，请按原样分享。',
    params: { kind: 'the credential’s kind' },
  },
  appeal_window_closed: {
    status: 409,
    en: 'The time to appeal has ended.',
    zh: '申诉期限已过。',
    params: { deadline: 'the last day to appeal', days: 'days allowed after the decision' },
  },
  already_voted: { status: 409, en: 'The member already voted on this application; each member votes once.', zh: '该成员已对此申请投票；每位成员只能投一次。' },
  evidence_missing: {
    status: 422,
    en: 'Evidence is missing; attach a file for each item before submitting.',
    zh: '缺少证明材料，提交前请为每一项附上文件。',
    params: { missing: 'the items without a file' },
  },
  draft_open: {
    status: 409,
    en: 'A draft version is still open; edit or approve it first.',
    zh: '仍有未完成的草稿版本，请先编辑或批准它。',
    params: { version: 'the open draft' },
  },
  effective_date_overlap: {
    status: 409,
    en: 'The new version would start before (or overlap) one in force; change its effective dates.',
    zh: '新版本的生效日期早于或重叠于现行版本，请修改生效日期。',
  },
  awaiting_acceptance: {
    status: 409,
    en: 'A version of the learning agreement still waits for acceptance.',
    zh: '学习协议的某个版本仍在等待确认。',
    params: { version: 'the version waiting' },
  },
  already_accepted: { status: 409, en: 'The caller already accepted or approved this.', zh: '调用方已确认或批准过此项。' },
  requirements_unpublished: {
    status: 409,
    en: 'The programme has no published requirements yet.',
    zh: '该专业尚未发布修读要求。',
    params: { programme: 'programme code' },
  },
  audit_not_met: { status: 409, en: 'The degree audit does not pass (yet).', zh: '毕业审核尚未通过。', params: { programme: 'programme code' } },
  award_exists: {
    status: 409,
    en: 'There is already an award application for this programme.',
    zh: '该专业已有一项授予申请。',
    params: { programme: 'programme code', state: 'its status' },
  },
  credits_short: {
    status: 409,
    en: 'Not enough credits count toward the programme for this statement.',
    zh: '计入该专业的学分不足以出具此证明。',
    params: { credits: 'credits counted', needed: 'credits needed' },
  },
  equivalence_overlap: {
    status: 409,
    en: 'These source courses already have an equivalence in force over these dates.',
    zh: '这些来源课程在该期间已有生效的等值规则。',
    params: { effectiveFrom: 'start of the one in force', effectiveTo: 'its end, or null', id: 'its id' },
  },
  import_changed: {
    status: 409,
    en: 'A row changed meaning while the import ran; run it again.',
    zh: '导入过程中某行数据的含义发生变化，请重新导入。',
    params: { row: 'the row number' },
  },

  // ── rules and policies ──
  cap_exceeded: {
    status: 422,
    en: 'A cap on credits would be exceeded: at most `limit` credits may be transferred or certified under it.',
    zh: '将超出学分上限：该上限下最多可转换或认定 `limit` 学分。',
    params: {
      limit: 'the cap',
      scope: 'transfers: agreement, source or total; certification: standard, kind or total',
      scopeCode: 'the agreement, source institution, standard or outcome kind (null for total)',
      institution: 'the target institution code (transfers)',
      held: 'credits the learner holds under the cap',
      line: 'the line that would exceed it',
      credits: 'that line’s credits',
    },
  },
  credit_system_missing: {
    status: 422,
    en: 'The institution has not declared its credit system; a registrar must do so first.',
    zh: '该机构尚未声明学分制度，须由教务先行设置。',
  },
  grading_scale_missing: {
    status: 422,
    en: 'The institution has no grading scale in force; a registrar must publish one first.',
    zh: '该机构没有生效的评分制度，须由教务先行发布。',
  },
  ledger_rule: { status: 422, en: 'A posting breaks a rule of the credit ledger.', zh: '记账违反了学分账本的规则。' },
  second_factor_on: { status: 409, en: 'A second factor is already on; turn it off first.', zh: '已启用第二重验证，请先关闭。' },
  second_factor_not_started: { status: 409, en: 'Start the second-factor enrolment first.', zh: '请先开始第二重验证的登记。' },
  cannot_disable_self: { status: 409, en: 'A user cannot disable their own account.', zh: '用户不能停用自己的账户。' },
  exception_exists: {
    status: 409,
    en: 'The learner already has this exception (a waiver of the requirement, or a substitution of the credit).',
    zh: '该学习者已有此项例外（豁免该要求或以该学分替代）。',
  },
  credential_unsignable: {
    status: 422,
    en: 'The credential cannot be signed: a context is unknown or a term is not defined by its contexts; `errors[]` names it.',
    zh: '凭证无法签名：某个上下文未知，或某个术语未在上下文中定义；`errors[]` 指出其位置。',
  },
  erasure_request_open: {
    status: 409,
    en: 'The learner already has an open erasure request; wait for the decision or withdraw it first.',
    zh: '已有一项待处理的删除请求，请等待决定或先撤回。',
  },
  request_open: {
    status: 409,
    en: 'The caller already has an open request of this kind; wait for its answer or withdraw it.',
    zh: '已有一项同类请求尚未处理，请等待答复或撤回。',
  },
  last_admin: {
    status: 409,
    en: 'This is the last active administrator: give another user the administrator role before removing it here.',
    zh: '这是最后一位在用的管理员：请先将管理员角色授予其他用户，再从此处移除。',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Every documented code. */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeInfo>> = codes;
export type ErrorCode = keyof typeof codes;

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && Object.hasOwn(codes, x);
}

/** The generic code of an HTTP status, for answers with nothing more specific to say. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 406:
      return 'not_acceptable';
    case 409:
      return 'conflict';
    case 412:
      return 'precondition_failed';
    case 413:
      return 'too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 429:
      return 'rate_limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'invalid';
  }
}

/** docs/errors.md: the registry as a table, generated (`npm run docs:errors`), never edited by hand. */
export function errorCodesMarkdown(): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/error-codes.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every error the server sends is `application/problem+json` (RFC 9457) with a stable `code` from this list.',
    'Branch on `code`, never on `detail`: the `detail` sentence is for people and may change.',
    "A code's parameters are sent beside it in the same object; `errors[]` names the failing field(s) where there is one.",
    "`title`, `detail` and the fields' messages are in the caller's language: Chinese when `Accept-Language` prefers Chinese to",
    'English, else English; `Content-Language` says which. In Chinese the detail says what the code means, in words for a',
    'person (the more precise sentence written where the error arose is English). Codes, parameters and field paths are the same in both.',
    '',
    '| code | status | meaning | 含义 | parameters |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    const params = info.params
      ? Object.entries(info.params)
          .map(([k, v]) => `\`${k}\`: ${esc(v)}`)
          .join('<br>')
      : '';
    lines.push(`| \`${code}\` | ${info.status} | ${esc(info.en)} | ${esc(info.zh)} | ${params} |`);
  }
  lines.push('', `${Object.keys(ERROR_CODES).length} codes.`, '');
  return lines.join('\n');
}
