// ISCED-F 2013 broad fields of education and training (the first two digits of a field code), with
// their names in Chinese and English.
export const BROAD_FIELDS: Record<string, { zh: string; en: string }> = {
  '00': { zh: '通用课程和资格', en: 'Generic programmes and qualifications' },
  '01': { zh: '教育', en: 'Education' },
  '02': { zh: '艺术与人文', en: 'Arts and humanities' },
  '03': { zh: '社会科学、新闻和信息', en: 'Social sciences, journalism and information' },
  '04': { zh: '商业、管理和法律', en: 'Business, administration and law' },
  '05': { zh: '自然科学、数学和统计', en: 'Natural sciences, mathematics and statistics' },
  '06': { zh: '信息和通信技术', en: 'Information and communication technologies' },
  '07': { zh: '工程、制造和建筑', en: 'Engineering, manufacturing and construction' },
  '08': { zh: '农业、林业、渔业和兽医', en: 'Agriculture, forestry, fisheries and veterinary' },
  '09': { zh: '卫生和福利', en: 'Health and welfare' },
  '10': { zh: '服务', en: 'Services' },
  '99': { zh: '领域未知', en: 'Field unknown' },
};

/** The broad field of a 2–4 digit ISCED-F code; '99' (unknown) when there is none. */
export const broadField = (code: string | null | undefined) => (code && BROAD_FIELDS[code.slice(0, 2)] ? code.slice(0, 2) : '99');
