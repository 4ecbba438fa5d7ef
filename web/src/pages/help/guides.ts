// The guides for each role, in web/public/guides/<role>.<language>.md (served as static files, images in
// web/public/guides/img/): the help menu in the header lists them, the help page (/help/:role) shows one.
import type { Role } from '../../api/types';

/** Every guide: the roles a user signs in as, and the employer, who checks a credential without an account. */
export const GUIDE_ROLES = ['learner', 'registrar', 'reviewer', 'committee', 'admin', 'employer'] as const;
export type GuideRole = (typeof GUIDE_ROLES)[number];

export const GUIDE_LANGUAGES = ['zh-CN', 'en'] as const;

export function isGuideRole(value: string | undefined): value is GuideRole {
  return (GUIDE_ROLES as readonly string[]).includes(value ?? '');
}

/** Where a guide's text is served from. */
export const guideUrl = (role: GuideRole, lang: 'zh-CN' | 'en') => `/guides/${role}.${lang}.md`;

/** The guides in the order the help menu shows them: the reader's own roles first (none signed in: the employer's). */
export function guideOrder(roles: readonly Role[] | null): GuideRole[] {
  const mine: GuideRole[] = roles === null ? ['employer'] : GUIDE_ROLES.filter((r) => (roles as readonly string[]).includes(r));
  return [...mine, ...GUIDE_ROLES.filter((r) => !mine.includes(r))];
}
