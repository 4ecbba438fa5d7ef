// Synthetic import files of any size for one demo institution: a learners file and a results
// (transcripts) file, as CSV or XLSX, with a chosen fraction of deliberately bad result rows.
// Deterministic for a seed, and streamed: memory stays flat however many rows are written.
//
//   npx tsx bench/generate.ts --institution HXU --learners 1000 [--format csv|xlsx] [--out dir]
//       [--seed n] [--bad-rate 0.02] [--first-term-year 2021] [--student-prefix G]
//
// Learner i is rebuilt from (seed, i) alone, so the two files are written one after the other
// without keeping learners in memory; only the identity numbers already issued are remembered,
// to keep them unique.
import { residentIdCheckChar } from '../src/core/identity.js';
import { mulberry32 } from '../src/core/random.js';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { COLUMNS, headerText, type ImportKind } from '../src/modules/imports/columns.js';
import { DEMO_INSTITUTIONS } from '../src/modules/demo/data.js';
import type { DemoCourse, DemoInstitution } from '../src/modules/demo/types.js';

export type InstitutionCode = 'HXU' | 'JNVC' | 'UNH';
export type Format = 'csv' | 'xlsx';

export interface GenerateOptions {
  institution: InstitutionCode;
  learners: number;
  seed?: number;
  /** Fraction of result rows that are deliberately bad (default 0.02). */
  badRate?: number;
  format?: Format;
  /** The first cohort's entry year (default 2021); cohorts enter in up to five consecutive years. */
  firstTermYear?: number;
  /** Student numbers are `${studentPrefix}${entryYear}${sequence}` (default prefix 'G'). */
  studentPrefix?: string;
}

export type BadKind = 'unknownCourse' | 'gradeOutOfScale' | 'impossibleDate' | 'malformedTerm' | 'emptyStudentNumber' | 'duplicateRow';
export const BAD_KINDS: readonly BadKind[] = ['unknownCourse', 'gradeOutOfScale', 'impossibleDate', 'malformedTerm', 'emptyStudentNumber', 'duplicateRow'];

export interface Generated {
  learnersFile: string;
  resultsFile: string;
  learnerRows: number;
  resultRows: number;
  badRows: number;
  /** How many bad rows of each kind (they add up to badRows). */
  badByKind: Record<BadKind, number>;
}

/** Terms that end on or after this date have no results yet. */
const CUTOFF = '2026-09-01';
const DEFAULT_BAD_RATE = 0.02;
const DEFAULT_FIRST_TERM_YEAR = 2021;
const COHORT_YEARS = 5;
/** Chance that a failed course is retaken (attempt 2) a year later, when that term has ended. */
const RETAKE_RATE = 0.9;

// ---------------------------------------------------------------------------------------------
// Seeded randomness (the generator itself is src/core/random.ts)

/** Mixes two integers into a well-spread 32-bit seed (murmur3's finaliser). */
function mix(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

type Rng = () => number;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** Standard normal (Box–Muller). */
const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Picks from [value, weight] pairs. */
function weighted<T>(rng: Rng, table: readonly (readonly [T, number])[], total: number): T {
  let r = rng() * total;
  for (const [value, w] of table) {
    r -= w;
    if (r < 0) return value;
  }
  return table[table.length - 1]![0];
}

// ---------------------------------------------------------------------------------------------
// Names

// Surnames with pinyin and a rough weight by frequency; no characters with a disputed reading.
const SURNAMES: readonly (readonly [[string, string], number])[] = [
  [['王', 'Wang'], 72],
  [['李', 'Li'], 72],
  [['张', 'Zhang'], 68],
  [['刘', 'Liu'], 52],
  [['陈', 'Chen'], 46],
  [['杨', 'Yang'], 32],
  [['黄', 'Huang'], 24],
  [['赵', 'Zhao'], 20],
  [['吴', 'Wu'], 20],
  [['周', 'Zhou'], 20],
  [['徐', 'Xu'], 14],
  [['孙', 'Sun'], 13],
  [['马', 'Ma'], 12],
  [['朱', 'Zhu'], 12],
  [['胡', 'Hu'], 11],
  [['郭', 'Guo'], 11],
  [['何', 'He'], 10],
  [['林', 'Lin'], 10],
  [['高', 'Gao'], 10],
  [['罗', 'Luo'], 10],
  [['郑', 'Zheng'], 9],
  [['梁', 'Liang'], 9],
  [['谢', 'Xie'], 8],
  [['宋', 'Song'], 7],
  [['唐', 'Tang'], 7],
  [['许', 'Xu'], 7],
  [['韩', 'Han'], 6],
  [['冯', 'Feng'], 6],
  [['邓', 'Deng'], 6],
  [['曹', 'Cao'], 6],
  [['彭', 'Peng'], 5],
  [['萧', 'Xiao'], 5],
  [['田', 'Tian'], 5],
  [['董', 'Dong'], 5],
  [['潘', 'Pan'], 5],
  [['袁', 'Yuan'], 5],
  [['蔡', 'Cai'], 5],
  [['蒋', 'Jiang'], 5],
  [['余', 'Yu'], 4],
  [['于', 'Yu'], 4],
  [['杜', 'Du'], 4],
  [['叶', 'Ye'], 4],
  [['程', 'Cheng'], 4],
  [['魏', 'Wei'], 4],
  [['苏', 'Su'], 4],
  [['丁', 'Ding'], 4],
  [['任', 'Ren'], 4],
  [['沈', 'Shen'], 4],
  [['姚', 'Yao'], 3],
  [['卢', 'Lu'], 3],
  [['姜', 'Jiang'], 3],
  [['崔', 'Cui'], 3],
  [['钟', 'Zhong'], 3],
  [['谭', 'Tan'], 3],
  [['陆', 'Lu'], 3],
  [['汪', 'Wang'], 3],
  [['范', 'Fan'], 3],
  [['金', 'Jin'], 3],
  [['石', 'Shi'], 3],
  [['廖', 'Liao'], 3],
  [['贾', 'Jia'], 3],
  [['夏', 'Xia'], 3],
  [['方', 'Fang'], 3],
  [['白', 'Bai'], 2],
  [['邹', 'Zou'], 2],
  [['孟', 'Meng'], 2],
  [['熊', 'Xiong'], 2],
  [['秦', 'Qin'], 2],
  [['邱', 'Qiu'], 2],
  [['江', 'Jiang'], 2],
  [['薛', 'Xue'], 2],
  [['雷', 'Lei'], 2],
  [['侯', 'Hou'], 2],
  [['龙', 'Long'], 2],
  [['顾', 'Gu'], 2],
  [['毛', 'Mao'], 2],
  [['郝', 'Hao'], 2],
  [['邵', 'Shao'], 2],
  [['钱', 'Qian'], 2],
  [['严', 'Yan'], 2],
  [['孔', 'Kong'], 1],
  [['戴', 'Dai'], 1],
  [['汤', 'Tang'], 1],
  [['欧阳', 'Ouyang'], 1],
  [['司马', 'Sima'], 0.3],
  [['上官', 'Shangguan'], 0.2],
  [['诸葛', 'Zhuge'], 0.2],
];
const SURNAME_TOTAL = SURNAMES.reduce((s, [, w]) => s + w, 0);

/** Given-name characters → pinyin, leaning male (M), female (F) or either (U). */
const GIVEN_PINYIN: Record<string, string> = {
  // M
  浩: 'hao',
  宇: 'yu',
  轩: 'xuan',
  俊: 'jun',
  杰: 'jie',
  博: 'bo',
  哲: 'zhe',
  涛: 'tao',
  鹏: 'peng',
  辉: 'hui',
  磊: 'lei',
  强: 'qiang',
  伟: 'wei',
  阳: 'yang',
  凯: 'kai',
  睿: 'rui',
  泽: 'ze',
  航: 'hang',
  宏: 'hong',
  毅: 'yi',
  峰: 'feng',
  建: 'jian',
  志: 'zhi',
  勇: 'yong',
  豪: 'hao',
  远: 'yuan',
  鸣: 'ming',
  逸: 'yi',
  飞: 'fei',
  铭: 'ming',
  昊: 'hao',
  程: 'cheng',
  东: 'dong',
  彬: 'bin',
  翔: 'xiang',
  振: 'zhen',
  德: 'de',
  鑫: 'xin',
  旭: 'xu',
  坤: 'kun',
  海: 'hai',
  健: 'jian',
  诚: 'cheng',
  栋: 'dong',
  源: 'yuan',
  钧: 'jun',
  恩: 'en',
  安: 'an',
  天: 'tian',
  明: 'ming',
  // F
  雨: 'yu',
  桐: 'tong',
  欣: 'xin',
  怡: 'yi',
  梦: 'meng',
  琪: 'qi',
  诗: 'shi',
  涵: 'han',
  雅: 'ya',
  婷: 'ting',
  静: 'jing',
  彤: 'tong',
  萱: 'xuan',
  悦: 'yue',
  婉: 'wan',
  琳: 'lin',
  玲: 'ling',
  丽: 'li',
  芳: 'fang',
  慧: 'hui',
  敏: 'min',
  颖: 'ying',
  洁: 'jie',
  娜: 'na',
  倩: 'qian',
  瑶: 'yao',
  蕾: 'lei',
  妍: 'yan',
  雪: 'xue',
  梅: 'mei',
  月: 'yue',
  心: 'xin',
  若: 'ruo',
  馨: 'xin',
  璇: 'xuan',
  紫: 'zi',
  依: 'yi',
  晴: 'qing',
  冰: 'bing',
  莹: 'ying',
  薇: 'wei',
  岚: 'lan',
  艺: 'yi',
  钰: 'yu',
  可: 'ke',
  佳: 'jia',
  宁: 'ning',
  清: 'qing',
  琦: 'qi',
  瑜: 'yu',
  // U
  子: 'zi',
  文: 'wen',
  思: 'si',
  嘉: 'jia',
  一: 'yi',
  晓: 'xiao',
  晨: 'chen',
  家: 'jia',
  新: 'xin',
  林: 'lin',
  然: 'ran',
  梓: 'zi',
  书: 'shu',
  云: 'yun',
  星: 'xing',
  景: 'jing',
  沐: 'mu',
  瑞: 'rui',
  锦: 'jin',
};
const GIVEN_M = [...'浩宇轩俊杰博哲涛鹏辉磊强伟阳凯睿泽航宏毅峰建志勇豪远鸣逸飞铭昊程东彬翔振德鑫旭坤海健诚栋源钧恩安天明'];
const GIVEN_F = [...'雨桐欣怡梦琪诗涵雅婷静彤萱悦婉琳玲丽芳慧敏颖洁娜倩瑶蕾妍雪梅月心若馨璇紫依晴冰莹薇岚艺钰可佳宁清琦瑜'];
const GIVEN_U = [...'子文思嘉一晓晨家新林然梓书云星景沐瑞锦'];
for (const c of [...GIVEN_M, ...GIVEN_F, ...GIVEN_U]) if (!GIVEN_PINYIN[c]) throw new Error(`no pinyin for ${c}`);

/** Pinyin of a given name: syllables joined, an apostrophe before a later syllable starting with a, o or e (Xi'an). */
function givenPinyin(chars: string[]): string {
  const syllables = chars.map((c) => GIVEN_PINYIN[c]!);
  const joined = syllables.map((s, k) => (k > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function chineseName(rng: Rng, male: boolean): { fullName: string; latin: string; pinyinSlug: string } {
  const [surname, surnamePinyin] = weighted(rng, SURNAMES, SURNAME_TOTAL);
  const own = male ? GIVEN_M : GIVEN_F;
  const pool = () => (rng() < 0.7 ? pick(rng, own) : pick(rng, GIVEN_U));
  const given = rng() < 0.22 ? [pool()] : [pool(), pool()];
  if (given.length === 2 && given[0] === given[1] && rng() < 0.7) given[1] = pick(rng, own); // 婷婷 is fine, but rarer
  const latinGiven = givenPinyin(given);
  return {
    fullName: surname + given.join(''),
    latin: `${surnamePinyin} ${latinGiven}`,
    pinyinSlug: (latinGiven + surnamePinyin).toLowerCase().replace(/'/g, ''),
  };
}

const EURO_FIRST_M = [
  'Lars',
  'Jonas',
  'Daan',
  'Sem',
  'Lucas',
  'Finn',
  'Thomas',
  'Pieter',
  'Maximilian',
  'Lukas',
  'Louis',
  'Hugo',
  'Mateo',
  'Pablo',
  'Alejandro',
  'Lorenzo',
  'Matteo',
  'Piotr',
  'Jakub',
  'Erik',
  'Oskar',
  'Noah',
  'Bram',
  'Ruben',
  'Émile',
  'João',
  'Søren',
];
const EURO_FIRST_F = [
  'Sanne',
  'Emma',
  'Julia',
  'Sophie',
  'Lotte',
  'Fleur',
  'Anna',
  'Lena',
  'Hannah',
  'Mathilde',
  'Chloé',
  'Camille',
  'Lucía',
  'Carmen',
  'Chiara',
  'Giulia',
  'Francesca',
  'Zofia',
  'Maja',
  'Ingrid',
  'Astrid',
  'Eva',
  'Noor',
  'Iris',
  'Inès',
  'Małgorzata',
];
const EURO_SURNAMES = [
  'de Vries',
  'Bakker',
  'Visser',
  'Jansen',
  'de Jong',
  'van den Berg',
  'Smit',
  'Meijer',
  'Mulder',
  'van Dijk',
  'Janssens',
  'Peeters',
  'Becker',
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Laurent',
  'Dubois',
  'Moreau',
  'Lefèvre',
  'Romano',
  'Ferrari',
  'Esposito',
  'Bianchi',
  'Kowalczyk',
  'Nowak',
  'Wiśniewska',
  'Lindqvist',
  'Andersson',
  'Nielsen',
  'Silva',
  "O'Brien",
  'García López',
  'Fernández Ortega',
  'Martínez Ruiz',
];

// ---------------------------------------------------------------------------------------------
// Identity documents

/** County-level codes (GB/T 2260) for the first six digits of a resident ID. */
const REGIONS = [
  '110105',
  '110108',
  '310104',
  '310115',
  '440305',
  '440106',
  '510107',
  '330106',
  '420111',
  '430104',
  '500103',
  '610113',
  '370202',
  '350203',
  '210102',
  '120101',
  '340104',
  '410105',
];
/** Jiangsu and Zhejiang counties, where most of a Jiangnan vocational college's learners come from. */
const REGIONS_JIANGNAN = ['320102', '320211', '320505', '320583', '321002', '320104', '330106', '330205'];

// ---------------------------------------------------------------------------------------------
// Learners

interface Learner {
  externalId: string;
  fullName: string;
  fullNameLatin: string;
  birthDate: string;
  idType: '居民身份证' | '护照';
  /** Before de-duplication: region, sequence and parity for resident IDs; the digits for passports. */
  idSeed: { region: string; sequence: number; passportDigits: number };
  email: string;
  enrolledOn: string;
  entryYear: number;
  male: boolean;
  /** Added to every course mark: a learner's general level, in marks. */
  ability: number;
}

interface Context {
  inst: DemoInstitution;
  instIndex: number;
  seed: number;
  /** Seed of the learner population: each institution has its own people. */
  learnerSeed: number;
  n: number;
  firstTermYear: number;
  cohorts: number;
  seqWidth: number;
  studentPrefix: string;
  studentDomain: string;
  courses: DemoCourse[];
  /** Mark offset per course: some courses are harder than others. */
  difficulty: number[];
}

function isoDate(y: number, dayOfYear: number): string {
  return new Date(Date.UTC(y, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}

/** The cohort of learner i: learners are split into `cohorts` consecutive blocks, one per entry year. */
function cohortOf(ctx: Context, i: number): { k: number; seq: number } {
  const k = Math.floor((i * ctx.cohorts) / ctx.n);
  const start = Math.ceil((k * ctx.n) / ctx.cohorts);
  return { k, seq: i - start + 1 };
}

/** Learner i, rebuilt from (seed, i) alone, with the PRNG positioned for its grades. */
function learnerAt(ctx: Context, i: number): { learner: Learner; rng: Rng } {
  const rng = mulberry32(mix(ctx.learnerSeed, i));
  const { k, seq } = cohortOf(ctx, i);
  const entryYear = ctx.firstTermYear + k;
  const externalId = `${ctx.studentPrefix}${entryYear}${pad(seq, ctx.seqWidth)}`;
  const male = rng() < (ctx.inst.code === 'JNVC' ? 0.6 : 0.55);
  const european = rng() < 0.1;

  // Most start at 18–19; a few older learners, born any time in 1998–2006 that leaves them 17 or more.
  const birthYear = rng() < 0.06 ? int(rng, 1998, clamp(entryYear - 17, 1998, 2006)) : clamp(entryYear - 19 + Math.round(normal(rng) * 0.8), 1998, 2006);
  const leap = birthYear % 4 === 0;
  const birthDate = isoDate(birthYear, int(rng, 0, leap ? 365 : 364));

  let fullName: string;
  let fullNameLatin = '';
  let slug: string;
  if (european) {
    const first = pick(rng, male ? EURO_FIRST_M : EURO_FIRST_F);
    const last = pick(rng, EURO_SURNAMES);
    fullName = `${first} ${last}`;
    slug = `${first}.${last}`
      .normalize('NFD')
      .replace(/[^A-Za-z.]/g, '')
      .toLowerCase();
  } else {
    const name = chineseName(rng, male);
    fullName = name.fullName;
    fullNameLatin = name.latin;
    slug = name.pinyinSlug;
  }
  const regions = ctx.inst.code === 'JNVC' && rng() < 0.65 ? REGIONS_JIANGNAN : REGIONS;
  const idSeed = { region: pick(rng, regions), sequence: int(rng, 0, 332), passportDigits: int(rng, 0, 9_999_999) };

  const mail = rng();
  const email =
    mail < 0.45
      ? `${externalId.toLowerCase()}@${ctx.studentDomain}`
      : mail < 0.75
        ? `${slug}${int(rng, 1, 99)}@${pick(rng, ['example.com', 'example.cn', 'example.net', 'example.org'])}`
        : '';
  const ability = normal(rng) * 6;
  return {
    learner: {
      externalId,
      fullName,
      fullNameLatin,
      birthDate,
      idType: european ? '护照' : '居民身份证',
      idSeed,
      email,
      enrolledOn: `${entryYear}-09-01`,
      entryYear,
      male,
      ability,
    },
    rng,
  };
}

const PASSPORT_COUNTRIES = ['DEU', 'FRA', 'NLD', 'ITA', 'ESP', 'SWE', 'POL'];

/**
 * A unique identity number for the learner. Resident IDs: sequences are split three ways so the three
 * institutions' files never clash (HXU 001–333, JNVC 334–666, UNH 667–999), with the parity of the
 * 17th digit giving the sex as the standard says; passports: one leading digit per institution.
 */
function identityNumber(ctx: Context, l: Learner, used: Set<string>): string {
  const date = l.birthDate.replace(/-/g, '');
  if (l.idType === '护照') {
    for (let d = l.idSeed.passportDigits; ; d = (d + 1) % 10_000_000) {
      const id = `E${ctx.instIndex + 1}${pad(d, 7)}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  }
  const base = ctx.instIndex * 333 + 1;
  const regionsTried = [l.idSeed.region, ...REGIONS, ...REGIONS_JIANGNAN];
  for (const region of regionsTried) {
    for (let t = 0; t < 333; t++) {
      let seq = base + ((l.idSeed.sequence + t) % 333);
      if ((seq % 2 === 1) !== l.male) seq = seq + 1 < base + 333 ? seq + 1 : seq - 1;
      const first17 = `${region}${date}${pad(seq, 3)}`;
      const id = first17 + residentIdCheckChar(first17);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  }
  throw new Error(`no free resident ID left for ${l.birthDate}`);
}

// ---------------------------------------------------------------------------------------------
// Results

type ResultRow = [externalId: string, fullName: string, courseCode: string, term: string, attempt: string, grade: string, completedOn: string];

interface Attempt {
  course: number;
  startYear: number;
  semester: 1 | 2;
  attempt: number;
  grade: string;
}

const termText = (startYear: number, semester: number) => `${startYear}-${startYear + 1}-${semester}`;
const termEnd = (startYear: number, semester: number) => (semester === 1 ? `${startYear + 1}-01-15` : `${startYear + 1}-07-10`);

/** A grade in the institution's scale, and whether it passes. */
function grade(ctx: Context, rng: Rng, learner: Learner, course: number, bonus: number): { text: string; passed: boolean } {
  const z = (learner.ability + ctx.difficulty[course]! + bonus + normal(rng) * 8.5) / 10.4;
  const def = ctx.inst.scale.definition;
  if (def.type === 'levels') {
    const mark = 80 + 10.4 * z;
    const text = mark >= 90 ? '优' : mark >= 80 ? '良' : mark >= 70 ? '中' : mark >= 60 ? '及格' : '不及格';
    return { text, passed: text !== '不及格' };
  }
  if (ctx.inst.code === 'UNH') {
    const g = Math.round(clamp(7.2 + 0.9 * z, 1, 10) * 10) / 10;
    return { text: g.toFixed(1), passed: g >= 5.5 };
  }
  const mark = Math.round(clamp(80 + 10.4 * z, 0, 100));
  return { text: String(mark), passed: mark >= 60 };
}

/** A learner's transcript: first attempts in course order, failed courses retaken a year later. */
function transcript(ctx: Context, learner: Learner, rng: Rng): ResultRow[] {
  const attempts: Attempt[] = [];
  ctx.courses.forEach((c, course) => {
    const startYear = learner.entryYear + c.year - 1;
    if (termEnd(startYear, c.semester) >= CUTOFF) return;
    const first = grade(ctx, rng, learner, course, 0);
    attempts.push({ course, startYear, semester: c.semester, attempt: 1, grade: first.text });
    if (!first.passed && rng() < RETAKE_RATE && termEnd(startYear + 1, c.semester) < CUTOFF) {
      attempts.push({ course, startYear: startYear + 1, semester: c.semester, attempt: 2, grade: grade(ctx, rng, learner, course, 6).text });
    }
  });
  attempts.sort((a, b) => a.startYear - b.startYear || a.semester - b.semester || a.course - b.course);
  return attempts.map((a) => [
    learner.externalId,
    learner.fullName,
    ctx.courses[a.course]!.code,
    termText(a.startYear, a.semester),
    String(a.attempt),
    a.grade,
    termEnd(a.startYear, a.semester),
  ]);
}

const UNKNOWN_COURSES: Record<InstitutionCode, string[]> = {
  HXU: ['CS9999', 'EE3011', 'CS2O11', 'MA1013'],
  JNVC: ['JN-SW999', 'JN-XX101', 'JN-GE199'],
  UNH: ['INF-9999', 'XYZ-1001', 'MAT-1009'],
};
const BAD_GRADES: Record<InstitutionCode, string[]> = {
  HXU: ['105', '-5', '良好', '101', '8O'],
  JNVC: ['A+', '甲等', 'B-', '7'],
  UNH: ['10.5', '11', '-1', 'goed', '75'],
};

/** Turns a good row into a bad one of the given kind (not for duplicates). */
function spoil(ctx: Context, rng: Rng, row: ResultRow, kind: Exclude<BadKind, 'duplicateRow'>): ResultRow {
  const bad: ResultRow = [...row];
  const startYear = Number(row[3].slice(0, 4));
  const endYear = Number(row[6].slice(0, 4));
  const code = ctx.inst.code as InstitutionCode;
  switch (kind) {
    case 'unknownCourse':
      bad[2] = pick(rng, UNKNOWN_COURSES[code]);
      break;
    case 'gradeOutOfScale':
      bad[5] = pick(rng, BAD_GRADES[code]);
      break;
    case 'impossibleDate':
      bad[6] = pick(rng, [`${endYear}-02-30`, `${endYear}-02-31`, `${endYear}-04-31`, `${endYear}-13-01`, `${endYear}-00-10`]);
      break;
    case 'malformedTerm':
      bad[3] = pick(rng, [`${startYear}秋`, `${startYear + 1}春`, `${startYear}/${startYear + 1}学年`, `第${int(rng, 1, 8)}学期`]);
      break;
    case 'emptyStudentNumber':
      bad[0] = '';
      break;
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Writers: CSV by hand, XLSX through exceljs's streaming writer; both wait for the file to drain.

interface RowSink {
  write(cells: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

const csvCell = (s: string) => (/[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function csvSink(file: string): RowSink {
  const out = fs.createWriteStream(file);
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  let chunk = '\uFEFF';
  const flush = async () => {
    if (failure) throw failure;
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await once(out, 'drain');
  };
  return {
    async write(cells) {
      chunk += cells.map(csvCell).join(',') + '\r\n';
      if (chunk.length >= 64 * 1024) await flush();
    },
    async close() {
      if (chunk) await flush();
      out.end();
      await finished(out);
      if (failure) throw failure;
    },
  };
}

/** Columns written as numbers in XLSX (when the text is a plain number), as spreadsheets exported by registries do. */
const XLSX_NUMERIC = new Set(['attempt', 'grade']);
/** Uncompressed sheet XML allowed to wait for the zip compressor. */
const XLSX_MAX_BACKLOG = 1 << 20;

function xlsxSink(file: string, kind: ImportKind): RowSink {
  const out = fs.createWriteStream(file);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(kind);
  let failure: Error | undefined;
  out.on('error', (e) => (failure ??= e));
  const numeric = COLUMNS[kind].map((c) => XLSX_NUMERIC.has(c.key));
  // exceljs's worksheet stream passes each 64 KB of sheet XML on to its zip entry without waiting
  // for it to be compressed; the entry's queue is the backlog to wait on (the file stream's is the other).
  const zipQueue = () => {
    const entry = (sheet as unknown as { stream?: { pipes?: { _writableState?: { length?: number } }[] } }).stream?.pipes?.[0];
    return entry?._writableState?.length ?? 0;
  };
  let rows = 0;
  return {
    async write(cells) {
      if (failure) throw failure;
      sheet.addRow(cells.map((s, k) => (numeric[k] && /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s))).commit();
      if (++rows % 256 === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        while (zipQueue() > XLSX_MAX_BACKLOG) await new Promise<void>((resolve) => setTimeout(resolve, 2));
        if (out.writableNeedDrain) await once(out, 'drain');
      }
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

// ---------------------------------------------------------------------------------------------

function context(options: GenerateOptions): Context {
  const instIndex = DEMO_INSTITUTIONS.findIndex((x) => x.code === options.institution);
  const inst = DEMO_INSTITUTIONS[instIndex];
  if (!inst || !['HXU', 'JNVC', 'UNH'].includes(options.institution)) throw new Error(`unknown institution ${String(options.institution)} (HXU, JNVC or UNH)`);
  const n = options.learners;
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('learners must be a non-negative integer');
  const firstTermYear = options.firstTermYear ?? DEFAULT_FIRST_TERM_YEAR;
  if (!Number.isInteger(firstTermYear) || firstTermYear < 1980 || firstTermYear > 2100) throw new Error('firstTermYear must be a year');
  // Cohorts enter in up to five years, none after the last year whose first term has ended.
  const cohorts = Math.max(1, Math.min(COHORT_YEARS, 2025 - firstTermYear + 1));
  const courses = [...inst.courses].sort((a, b) => a.year - b.year || a.semester - b.semester);
  const codes = new Set(courses.map((c) => c.code));
  for (const code of UNKNOWN_COURSES[inst.code as InstitutionCode]) if (codes.has(code)) throw new Error(`${code} is a real course`);
  const seed = (options.seed ?? 1) >>> 0;
  const courseRng = mulberry32(mix(seed, 0x7fffffff));
  return {
    inst,
    instIndex,
    seed,
    learnerSeed: mix(seed, 0x1000 + instIndex),
    n,
    firstTermYear,
    cohorts,
    seqWidth: Math.max(4, String(Math.ceil(n / cohorts)).length),
    studentPrefix: options.studentPrefix ?? 'G',
    studentDomain: new URL(inst.website).hostname.replace(/^www\./, 'stu.'),
    courses,
    difficulty: courses.map(() => Math.round((courseRng() * 7 - 4) * 10) / 10),
  };
}

export async function generateImportFiles(dir: string, options: GenerateOptions): Promise<Generated> {
  const ctx = context(options);
  const badRate = options.badRate ?? DEFAULT_BAD_RATE;
  if (!(badRate >= 0 && badRate <= 1)) throw new Error('badRate must be between 0 and 1');
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') throw new Error('format must be csv or xlsx');
  await fs.promises.mkdir(dir, { recursive: true });
  const stem = path.join(dir, `${ctx.inst.code}-${ctx.n}`);
  const learnersFile = `${stem}-learners.${format}`;
  const resultsFile = `${stem}-results.${format}`;
  const open = (file: string, kind: ImportKind) => (format === 'csv' ? csvSink(file) : xlsxSink(file, kind));

  // Learners.
  const learnerColumns = COLUMNS.learners;
  const learners = open(learnersFile, 'learners');
  await learners.write(learnerColumns.map(headerText));
  const usedIds = new Set<string>();
  for (let i = 0; i < ctx.n; i++) {
    const { learner: l } = learnerAt(ctx, i);
    const values: Record<string, string> = {
      externalId: l.externalId,
      fullName: l.fullName,
      fullNameLatin: l.fullNameLatin,
      birthDate: l.birthDate,
      idType: l.idType,
      idNumber: identityNumber(ctx, l, usedIds),
      // a passport needs its issuing country: the European learners' own, from their seed
      idCountry: l.idType === '护照' ? PASSPORT_COUNTRIES[l.idSeed.passportDigits % PASSPORT_COUNTRIES.length]! : '',
      email: l.email,
      enrolledOn: l.enrolledOn,
      programmeCode: ctx.inst.programme.code,
    };
    await learners.write(learnerColumns.map((c) => values[c.key] ?? ''));
  }
  await learners.close();
  usedIds.clear();

  // Results, in the column order of COLUMNS.results.
  const order: Record<string, number> = { externalId: 0, fullName: 1, courseCode: 2, term: 3, attempt: 4, grade: 5, completedOn: 6 };
  const resultColumns = COLUMNS.results;
  const positions = resultColumns.map((c) => order[c.key]!);
  const results = open(resultsFile, 'results');
  await results.write(resultColumns.map(headerText));
  const badRng = mulberry32(mix(ctx.seed ^ 0x5bd1e995, ctx.instIndex));
  const recent: ResultRow[] = [];
  const badByKind = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
  let resultRows = 0;
  let badRows = 0;
  const emit = async (row: ResultRow) => {
    // a column the generator does not fill (the optional result status) is left empty
    await results.write(positions.map((p) => (p === undefined ? '' : row[p]!)));
    resultRows++;
  };
  for (let i = 0; i < ctx.n; i++) {
    const { learner, rng } = learnerAt(ctx, i);
    const rows = transcript(ctx, learner, rng);
    for (let r = 0; r < rows.length;) {
      if (badRng() < badRate) {
        let kind = pick(badRng, BAD_KINDS);
        if (kind === 'duplicateRow' && recent.length === 0) kind = 'unknownCourse';
        badByKind[kind]++;
        badRows++;
        if (kind === 'duplicateRow') {
          await emit(pick(badRng, recent)); // an exact copy of an earlier row; the current row is still to come
        } else {
          await emit(spoil(ctx, badRng, rows[r]!, kind));
          r++;
        }
        continue;
      }
      const row = rows[r++]!;
      await emit(row);
      recent.push(row);
      if (recent.length > 64) recent.shift();
    }
  }
  await results.close();
  return { learnersFile, resultsFile, learnerRows: ctx.n, resultRows, badRows, badByKind };
}

// ---------------------------------------------------------------------------------------------
// CLI

async function main() {
  const { values } = parseArgs({
    options: {
      institution: { type: 'string', short: 'i' },
      learners: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      'bad-rate': { type: 'string' },
      format: { type: 'string', default: 'csv' },
      'first-term-year': { type: 'string' },
      'student-prefix': { type: 'string' },
      out: { type: 'string', short: 'o', default: '.' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const usage =
    'usage: tsx bench/generate.ts --institution HXU|JNVC|UNH --learners N [--format csv|xlsx] [--out DIR]\n' +
    '       [--seed N] [--bad-rate 0.02] [--first-term-year 2021] [--student-prefix G]';
  if (values.help) return console.log(usage);
  if (!values.institution || !values.learners) throw new Error(usage);
  const num = (s: string | undefined, name: string) => {
    if (s === undefined) return undefined;
    const x = Number(s);
    if (s.trim() === '' || !Number.isFinite(x)) throw new Error(`--${name} must be a number`);
    return x;
  };
  const started = performance.now();
  const g = await generateImportFiles(values.out!, {
    institution: values.institution.toUpperCase() as InstitutionCode,
    learners: num(values.learners, 'learners')!,
    seed: num(values.seed, 'seed'),
    badRate: num(values['bad-rate'], 'bad-rate'),
    format: values.format as Format,
    firstTermYear: num(values['first-term-year'], 'first-term-year'),
    studentPrefix: values['student-prefix'],
  });
  const seconds = (performance.now() - started) / 1000;
  const mb = (file: string) => (fs.statSync(file).size / 1024 / 1024).toFixed(1);
  console.log(`learners  ${g.learnersFile}  ${g.learnerRows} rows  ${mb(g.learnersFile)} MB`);
  console.log(`results   ${g.resultsFile}  ${g.resultRows} rows  ${mb(g.resultsFile)} MB`);
  const kinds = BAD_KINDS.map((k) => `${k} ${g.badByKind[k]}`).join(', ');
  console.log(`bad rows  ${g.badRows} (${((100 * g.badRows) / Math.max(1, g.resultRows)).toFixed(2)} %): ${kinds}`);
  console.log(`time      ${seconds.toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
