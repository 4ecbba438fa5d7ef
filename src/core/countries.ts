// Countries by ISO 3166-1 code, for the issuing country of a passport. Pure: no I/O.
//
// A plain list rather than a dependency: the bank needs the 249 officially assigned codes and what
// people write for them; names in any language come from the platform (Intl.DisplayNames), in the
// web app as here.

/** ISO 3166-1 officially assigned codes, alpha-3:alpha-2. */
const PAIRS = `
  ABW:AW AFG:AF AGO:AO AIA:AI ALA:AX ALB:AL AND:AD ARE:AE ARG:AR ARM:AM ASM:AS ATA:AQ ATF:TF ATG:AG AUS:AU AUT:AT
  AZE:AZ BDI:BI BEL:BE BEN:BJ BES:BQ BFA:BF BGD:BD BGR:BG BHR:BH BHS:BS BIH:BA BLM:BL BLR:BY BLZ:BZ BMU:BM BOL:BO
  BRA:BR BRB:BB BRN:BN BTN:BT BVT:BV BWA:BW CAF:CF CAN:CA CCK:CC CHE:CH CHL:CL CHN:CN CIV:CI CMR:CM COD:CD COG:CG
  COK:CK COL:CO COM:KM CPV:CV CRI:CR CUB:CU CUW:CW CXR:CX CYM:KY CYP:CY CZE:CZ DEU:DE DJI:DJ DMA:DM DNK:DK DOM:DO
  DZA:DZ ECU:EC EGY:EG ERI:ER ESH:EH ESP:ES EST:EE ETH:ET FIN:FI FJI:FJ FLK:FK FRA:FR FRO:FO FSM:FM GAB:GA GBR:GB
  GEO:GE GGY:GG GHA:GH GIB:GI GIN:GN GLP:GP GMB:GM GNB:GW GNQ:GQ GRC:GR GRD:GD GRL:GL GTM:GT GUF:GF GUM:GU GUY:GY
  HKG:HK HMD:HM HND:HN HRV:HR HTI:HT HUN:HU IDN:ID IMN:IM IND:IN IOT:IO IRL:IE IRN:IR IRQ:IQ ISL:IS ISR:IL ITA:IT
  JAM:JM JEY:JE JOR:JO JPN:JP KAZ:KZ KEN:KE KGZ:KG KHM:KH KIR:KI KNA:KN KOR:KR KWT:KW LAO:LA LBN:LB LBR:LR LBY:LY
  LCA:LC LIE:LI LKA:LK LSO:LS LTU:LT LUX:LU LVA:LV MAC:MO MAF:MF MAR:MA MCO:MC MDA:MD MDG:MG MDV:MV MEX:MX MHL:MH
  MKD:MK MLI:ML MLT:MT MMR:MM MNE:ME MNG:MN MNP:MP MOZ:MZ MRT:MR MSR:MS MTQ:MQ MUS:MU MWI:MW MYS:MY MYT:YT NAM:NA
  NCL:NC NER:NE NFK:NF NGA:NG NIC:NI NIU:NU NLD:NL NOR:NO NPL:NP NRU:NR NZL:NZ OMN:OM PAK:PK PAN:PA PCN:PN PER:PE
  PHL:PH PLW:PW PNG:PG POL:PL PRI:PR PRK:KP PRT:PT PRY:PY PSE:PS PYF:PF QAT:QA REU:RE ROU:RO RUS:RU RWA:RW SAU:SA
  SDN:SD SEN:SN SGP:SG SGS:GS SHN:SH SJM:SJ SLB:SB SLE:SL SLV:SV SMR:SM SOM:SO SPM:PM SRB:RS SSD:SS STP:ST SUR:SR
  SVK:SK SVN:SI SWE:SE SWZ:SZ SXM:SX SYC:SC SYR:SY TCA:TC TCD:TD TGO:TG THA:TH TJK:TJ TKL:TK TKM:TM TLS:TL TON:TO
  TTO:TT TUN:TN TUR:TR TUV:TV TWN:TW TZA:TZ UGA:UG UKR:UA UMI:UM URY:UY USA:US UZB:UZ VAT:VA VCT:VC VEN:VE VGB:VG
  VIR:VI VNM:VN VUT:VU WLF:WF WSM:WS YEM:YE ZAF:ZA ZMB:ZM ZWE:ZW`;

/** [alpha-3, alpha-2] of every officially assigned ISO 3166-1 code, by alpha-3. */
export const COUNTRIES: readonly (readonly [alpha3: string, alpha2: string])[] = PAIRS.trim()
  .split(/\s+/)
  .map((p) => p.split(':') as [string, string]);

const BY_ALPHA3 = new Map(COUNTRIES.map(([a3, a2]) => [a3, a2]));
const BY_ALPHA2 = new Map(COUNTRIES.map(([a3, a2]) => [a2, a3]));

/** The ISO 3166-1 alpha-3 codes, for a schema's enum. */
export const COUNTRY_CODES = COUNTRIES.map(([a3]) => a3) as [string, ...string[]];

export const isCountryCode = (code: string) => BY_ALPHA3.has(code);

/** The alpha-2 code of an alpha-3 one (what Intl.DisplayNames names). */
export const alpha2Of = (alpha3: string) => BY_ALPHA3.get(alpha3);

/** Names people write that the platform's region names do not give. */
const ALIASES: Record<string, string> = {
  中华人民共和国: 'CHN',
  中国大陆: 'CHN',
  香港: 'HKG',
  中国香港: 'HKG',
  hongkong: 'HKG',
  澳门: 'MAC',
  中国澳门: 'MAC',
  macao: 'MAC',
  macau: 'MAC',
  中国台湾: 'TWN',
  uk: 'GBR',
  greatbritain: 'GBR',
  unitedstatesofamerica: 'USA',
};

const key = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s.,'’()（）_-]+/gu, '');

let names: Map<string, string> | undefined;
/** Country names in English and Chinese (simplified and traditional) → alpha-3, built once. */
function countryNames(): Map<string, string> {
  if (names) return names;
  names = new Map(Object.entries(ALIASES));
  for (const lang of ['en', 'zh-Hans', 'zh-Hant']) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    } catch {
      continue; // a runtime without region names: codes only
    }
    for (const [a3, a2] of COUNTRIES) {
      const name = display.of(a2);
      if (name && !names.has(key(name))) names.set(key(name), a3);
    }
  }
  return names;
}

/**
 * The alpha-3 code of what someone wrote for a country: an alpha-3 code ("CHN", "usa"), an
 * alpha-2 one ("DE"), or its name in English or Chinese ("Germany", "德国"). Undefined when unknown.
 */
export function countryCode(text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  const upper = t.toUpperCase();
  if (BY_ALPHA3.has(upper)) return upper;
  const alpha2 = BY_ALPHA2.get(upper);
  if (alpha2) return alpha2;
  return t ? countryNames().get(key(t)) : undefined;
}
