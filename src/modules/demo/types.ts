// The shape of the demo alliance's data (data.ts): plain values, no I/O.
import type { ScaleDefinition } from '../../core/grades/scales.js';
import type { Role } from '../auth/principal.js';

export interface DemoCourse {
  code: string;
  titleZh: string;
  titleEn: string;
  /** Decimal credits as text: "3", "2.5", "6" (ECTS). */
  credits: string;
  /** Class hours (contact) or workload hours, per the institution's credit system. */
  hours: number;
  /** ISCED-F 2013 code: 2, 3 or 4 digits, e.g. "0613". */
  iscedCode: string;
  /** Framework level (EQF-style 1–8), e.g. 6 for bachelor courses, 5 for short-cycle. */
  level: number;
  outcomesZh: string;
  outcomesEn: string;
  /** Which year of study the course is normally taken in (1–4); the transcript generator uses it. */
  year: number;
  /** Semester within the year (1 or 2). */
  semester: 1 | 2;
}

export interface DemoInstitution {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: 'university' | 'vocational_college' | 'open_university';
  country: string;
  website: string;
  creditSystem: { unit: 'credit' | 'ects'; hoursPerCredit: string; hourType: 'contact' | 'workload' };
  scale: { code: string; nameZh: string; nameEn: string; definition: ScaleDefinition };
  courses: DemoCourse[];
  programme: {
    code: string;
    titleZh: string;
    titleEn: string;
    qualification: 'bachelor' | 'associate';
    totalCredits: string;
    iscedCode: string;
  };
  /** Prefix of the institution's own student numbers, e.g. "2021" + 4 digits. */
  studentNumberPrefix: string;
}

export interface DemoPerson {
  fullName: string;
  /** Latin transcription (pinyin for Chinese names), null when the name is already Latin. */
  fullNameLatin: string | null;
  birthDate: string;
}

/** A demo account the seeder created (its password is printed once). */
export interface DemoLogin {
  role: Role;
  username: string;
  institution: string | null;
}
