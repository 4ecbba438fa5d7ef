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

/**
 * ISCED-F 2013 narrow (three digits) and detailed (four digits) fields, with their names in Chinese
 * and English (UNESCO Institute for Statistics, "ISCED Fields of Education and Training 2013").
 * A code ending in 0 is "not further defined" and one ending in 9 "not elsewhere classified" within
 * the field above it (fieldName names them so); 8 marks inter-disciplinary programmes.
 */
export const NARROW_FIELDS: Record<string, { zh: string; en: string }> = {
  '001': { zh: '基础课程和资格', en: 'Basic programmes and qualifications' },
  '002': { zh: '读写和计算能力', en: 'Literacy and numeracy' },
  '003': { zh: '个人技能与发展', en: 'Personal skills and development' },
  '011': { zh: '教育', en: 'Education' },
  '018': { zh: '涉及教育的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving education' },
  '021': { zh: '艺术', en: 'Arts' },
  '022': { zh: '人文（语言除外）', en: 'Humanities (except languages)' },
  '023': { zh: '语言', en: 'Languages' },
  '028': { zh: '涉及艺术与人文的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving arts and humanities' },
  '031': { zh: '社会和行为科学', en: 'Social and behavioural sciences' },
  '032': { zh: '新闻和信息', en: 'Journalism and information' },
  '038': {
    zh: '涉及社会科学、新闻和信息的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving social sciences, journalism and information',
  },
  '041': { zh: '商业和管理', en: 'Business and administration' },
  '042': { zh: '法律', en: 'Law' },
  '048': { zh: '涉及商业、管理和法律的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving business, administration and law' },
  '051': { zh: '生物及相关科学', en: 'Biological and related sciences' },
  '052': { zh: '环境', en: 'Environment' },
  '053': { zh: '物理科学', en: 'Physical sciences' },
  '054': { zh: '数学和统计', en: 'Mathematics and statistics' },
  '058': {
    zh: '涉及自然科学、数学和统计的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics',
  },
  '061': { zh: '信息和通信技术', en: 'Information and Communication Technologies (ICTs)' },
  '068': {
    zh: '涉及信息和通信技术的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)',
  },
  '071': { zh: '工程和工程技术', en: 'Engineering and engineering trades' },
  '072': { zh: '制造和加工', en: 'Manufacturing and processing' },
  '073': { zh: '建筑和营造', en: 'Architecture and construction' },
  '078': {
    zh: '涉及工程、制造和建筑的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction',
  },
  '081': { zh: '农业', en: 'Agriculture' },
  '082': { zh: '林业', en: 'Forestry' },
  '083': { zh: '渔业', en: 'Fisheries' },
  '084': { zh: '兽医', en: 'Veterinary' },
  '088': {
    zh: '涉及农业、林业、渔业和兽医的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary',
  },
  '091': { zh: '卫生', en: 'Health' },
  '092': { zh: '福利', en: 'Welfare' },
  '098': { zh: '涉及卫生和福利的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving health and welfare' },
  '101': { zh: '个人服务', en: 'Personal services' },
  '102': { zh: '卫生和职业健康服务', en: 'Hygiene and occupational health services' },
  '103': { zh: '安全服务', en: 'Security services' },
  '104': { zh: '运输服务', en: 'Transport services' },
  '108': { zh: '涉及服务的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving services' },
  '999': { zh: '领域未知', en: 'Field unknown' },
};

export const DETAILED_FIELDS: Record<string, { zh: string; en: string }> = {
  '0011': { zh: '基础课程和资格', en: 'Basic programmes and qualifications' },
  '0021': { zh: '读写和计算能力', en: 'Literacy and numeracy' },
  '0031': { zh: '个人技能与发展', en: 'Personal skills and development' },
  '0111': { zh: '教育科学', en: 'Education science' },
  '0112': { zh: '学前教师培训', en: 'Training for pre-school teachers' },
  '0113': { zh: '不分学科的教师培训', en: 'Teacher training without subject specialisation' },
  '0114': { zh: '分学科的教师培训', en: 'Teacher training with subject specialisation' },
  '0188': { zh: '涉及教育的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving education' },
  '0211': { zh: '视听技术和媒体制作', en: 'Audio-visual techniques and media production' },
  '0212': { zh: '时装、室内和工业设计', en: 'Fashion, interior and industrial design' },
  '0213': { zh: '美术', en: 'Fine arts' },
  '0214': { zh: '手工艺', en: 'Handicrafts' },
  '0215': { zh: '音乐和表演艺术', en: 'Music and performing arts' },
  '0221': { zh: '宗教和神学', en: 'Religion and theology' },
  '0222': { zh: '历史和考古', en: 'History and archaeology' },
  '0223': { zh: '哲学和伦理', en: 'Philosophy and ethics' },
  '0231': { zh: '语言习得', en: 'Language acquisition' },
  '0232': { zh: '文学和语言学', en: 'Literature and linguistics' },
  '0288': { zh: '涉及艺术与人文的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving arts and humanities' },
  '0311': { zh: '经济学', en: 'Economics' },
  '0312': { zh: '政治学和公民学', en: 'Political sciences and civics' },
  '0313': { zh: '心理学', en: 'Psychology' },
  '0314': { zh: '社会学和文化研究', en: 'Sociology and cultural studies' },
  '0321': { zh: '新闻和报道', en: 'Journalism and reporting' },
  '0322': { zh: '图书馆、信息和档案学', en: 'Library, information and archival studies' },
  '0388': {
    zh: '涉及社会科学、新闻和信息的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving social sciences, journalism and information',
  },
  '0411': { zh: '会计和税务', en: 'Accounting and taxation' },
  '0412': { zh: '金融、银行和保险', en: 'Finance, banking and insurance' },
  '0413': { zh: '管理和行政', en: 'Management and administration' },
  '0414': { zh: '市场营销和广告', en: 'Marketing and advertising' },
  '0415': { zh: '文秘和办公', en: 'Secretarial and office work' },
  '0416': { zh: '批发和零售', en: 'Wholesale and retail sales' },
  '0417': { zh: '职场技能', en: 'Work skills' },
  '0421': { zh: '法律', en: 'Law' },
  '0488': { zh: '涉及商业、管理和法律的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving business, administration and law' },
  '0511': { zh: '生物学', en: 'Biology' },
  '0512': { zh: '生物化学', en: 'Biochemistry' },
  '0521': { zh: '环境科学', en: 'Environmental sciences' },
  '0522': { zh: '自然环境和野生动植物', en: 'Natural environments and wildlife' },
  '0531': { zh: '化学', en: 'Chemistry' },
  '0532': { zh: '地球科学', en: 'Earth sciences' },
  '0533': { zh: '物理学', en: 'Physics' },
  '0541': { zh: '数学', en: 'Mathematics' },
  '0542': { zh: '统计学', en: 'Statistics' },
  '0588': {
    zh: '涉及自然科学、数学和统计的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving natural sciences, mathematics and statistics',
  },
  '0611': { zh: '计算机使用', en: 'Computer use' },
  '0612': { zh: '数据库和网络设计与管理', en: 'Database and network design and administration' },
  '0613': { zh: '软件和应用程序开发与分析', en: 'Software and applications development and analysis' },
  '0688': {
    zh: '涉及信息和通信技术的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving Information and Communication Technologies (ICTs)',
  },
  '0711': { zh: '化学工程和工艺', en: 'Chemical engineering and processes' },
  '0712': { zh: '环境保护技术', en: 'Environmental protection technology' },
  '0713': { zh: '电力和能源', en: 'Electricity and energy' },
  '0714': { zh: '电子和自动化', en: 'Electronics and automation' },
  '0715': { zh: '机械和金属加工', en: 'Mechanics and metal trades' },
  '0716': { zh: '机动车、船舶和飞机', en: 'Motor vehicles, ships and aircraft' },
  '0721': { zh: '食品加工', en: 'Food processing' },
  '0722': { zh: '材料（玻璃、纸张、塑料和木材）', en: 'Materials (glass, paper, plastic and wood)' },
  '0723': { zh: '纺织品（服装、鞋类和皮革）', en: 'Textiles (clothes, footwear and leather)' },
  '0724': { zh: '采矿和开采', en: 'Mining and extraction' },
  '0731': { zh: '建筑学和城市规划', en: 'Architecture and town planning' },
  '0732': { zh: '房屋建筑和土木工程', en: 'Building and civil engineering' },
  '0788': {
    zh: '涉及工程、制造和建筑的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving engineering, manufacturing and construction',
  },
  '0811': { zh: '作物和畜牧生产', en: 'Crop and livestock production' },
  '0812': { zh: '园艺', en: 'Horticulture' },
  '0821': { zh: '林业', en: 'Forestry' },
  '0831': { zh: '渔业', en: 'Fisheries' },
  '0841': { zh: '兽医', en: 'Veterinary' },
  '0888': {
    zh: '涉及农业、林业、渔业和兽医的跨学科课程和资格',
    en: 'Inter-disciplinary programmes and qualifications involving agriculture, forestry, fisheries and veterinary',
  },
  '0911': { zh: '牙科', en: 'Dental studies' },
  '0912': { zh: '医学', en: 'Medicine' },
  '0913': { zh: '护理和助产', en: 'Nursing and midwifery' },
  '0914': { zh: '医学诊断和治疗技术', en: 'Medical diagnostic and treatment technology' },
  '0915': { zh: '治疗和康复', en: 'Therapy and rehabilitation' },
  '0916': { zh: '药学', en: 'Pharmacy' },
  '0917': { zh: '传统和补充医学与疗法', en: 'Traditional and complementary medicine and therapy' },
  '0921': { zh: '老年人和残障成人照护', en: 'Care of the elderly and of disabled adults' },
  '0922': { zh: '儿童照护和青少年服务', en: 'Child care and youth services' },
  '0923': { zh: '社会工作和咨询', en: 'Social work and counselling' },
  '0988': { zh: '涉及卫生和福利的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving health and welfare' },
  '1011': { zh: '家政服务', en: 'Domestic services' },
  '1012': { zh: '美发和美容服务', en: 'Hair and beauty services' },
  '1013': { zh: '酒店、餐厅和餐饮', en: 'Hotel, restaurants and catering' },
  '1014': { zh: '体育', en: 'Sports' },
  '1015': { zh: '旅行、旅游和休闲', en: 'Travel, tourism and leisure' },
  '1021': { zh: '社区环境卫生', en: 'Community sanitation' },
  '1022': { zh: '职业健康和安全', en: 'Occupational health and safety' },
  '1031': { zh: '军事和国防', en: 'Military and defence' },
  '1032': { zh: '人身和财产保护', en: 'Protection of persons and property' },
  '1041': { zh: '运输服务', en: 'Transport services' },
  '1088': { zh: '涉及服务的跨学科课程和资格', en: 'Inter-disciplinary programmes and qualifications involving services' },
  '9999': { zh: '领域未知', en: 'Field unknown' },
};

/**
 * The name of an ISCED-F 2013 field code of two, three or four digits, in Chinese and English:
 * the detailed field, else the narrow, else the broad one; a code ending in 0 is the field above it
 * "not further defined", one ending in 9 "not elsewhere classified". Null for a code not in the list.
 */
export function iscedFieldName(code: string | null | undefined): { zh: string; en: string } | null {
  if (!code || !/^\d{2,4}$/.test(code)) return null;
  const table = code.length === 4 ? DETAILED_FIELDS : code.length === 3 ? NARROW_FIELDS : BROAD_FIELDS;
  const own = table[code];
  if (own) return own;
  if (code.length === 2) return null;
  const parentCode = code.slice(0, -1);
  const parent = code.length === 4 ? NARROW_FIELDS[parentCode] : BROAD_FIELDS[parentCode];
  if (!parent) return null;
  const last = code.at(-1);
  if (last === '0') return { zh: `${parent.zh}（未细分）`, en: `${parent.en} not further defined` };
  if (last === '9') return { zh: `${parent.zh}（其他）`, en: `${parent.en} not elsewhere classified` };
  return null;
}
