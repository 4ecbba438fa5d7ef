// Shapes of the auth module's answers (also the OpenAPI).
import { z } from 'zod';

/** The signed-in user and their roles (GET /auth/me, and what a completed sign-in answers). */
export const me = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  locale: z.string(),
  learnerId: z.uuid().nullable(),
  roles: z.array(
    z.object({
      role: z.enum(['learner', 'registrar', 'reviewer', 'committee', 'admin']),
      institutionId: z.uuid().nullable(),
      institutionCode: z.string().nullable(),
      institutionNameZh: z.string().nullable(),
      institutionNameEn: z.string().nullable(),
    }),
  ),
});
