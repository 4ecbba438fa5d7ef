import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { COLUMNS } from './columns.js';
import { detectFormat, ImportFileError, readRows, type RawRow, type ReadOptions } from './read.js';

// the collector (vitest.config.ts starts the workers with --expose-gc), to measure what is kept rather than what waits to be collected
const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run under vitest.config.ts (node --expose-gc)');
  collect();
};

const dir = mkdtempSync(join(tmpdir(), 'cb-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const file = (name: string, content: Buffer | string) => {
  const path = join(dir, `${++fileNo}-${name}`);
  writeFileSync(path, content);
  return path;
};

const RESULTS = COLUMNS.results;

async function collect(path: string, options?: ReadOptions, columns = RESULTS): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of readRows(path, columns, options)) rows.push(row);
  return rows;
}

async function failure(path: string, options?: ReadOptions, columns = RESULTS): Promise<ImportFileError> {
  try {
    await collect(path, options, columns);
  } catch (e) {
    if (e instanceof ImportFileError) return e;
    throw e;
  }
  throw new Error('expected an ImportFileError');
}

async function xlsx(name: string, build: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('成绩'), wb);
  const path = join(dir, `${++fileNo}-${name}`);
  // whole before it is read: written from a buffer rather than by ExcelJS's own file stream (suspected in one CI failure)
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}

/** A minimal zip archive (deflate or stored), with the option to lie about an entry's size. */
function zip(entries: { name: string; data: Buffer; declaredSize?: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const compressed = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const fields = (b: Buffer, at: number) => {
      b.writeUInt16LE(8, at); // deflate
      b.writeUInt16LE(0, at + 2); // time
      b.writeUInt16LE(0x21, at + 4); // date 1980-01-01
      b.writeUInt32LE(crc32(e.data), at + 6);
      b.writeUInt32LE(compressed.length, at + 10);
      b.writeUInt32LE(e.declaredSize ?? e.data.length, at + 14);
      b.writeUInt16LE(name.length, at + 18);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    fields(local, 8);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    fields(central, 10);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const HEADER = '学号,姓名,课程代码,学期,成绩';

describe('detectFormat', () => {
  it('trusts content over the name', () => {
    expect(detectFormat('grades.csv', Buffer.from('PK\x03\x04rest'))).toBe('xlsx');
    expect(detectFormat('grades.xlsx', Buffer.from('学号,姓名'))).toBe('xlsx');
    expect(detectFormat('grades.CSV', Buffer.from('学号,姓名'))).toBe('csv');
    expect(detectFormat('grades.tsv', Buffer.from('学号\t姓名'))).toBe('csv');
    expect(detectFormat('grades.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBeUndefined();
    expect(detectFormat('upload', Buffer.from('学号'))).toBeUndefined();
    expect(detectFormat('grades.xls', Buffer.from('<html><table>'))).toBeUndefined();
  });
});

describe('readRows: Excel workbooks', () => {
  it('reads a messy 教务系统 export: title row, aliases, dates, numbers, formulas, rich text, errors, blank rows', async () => {
    const path = await xlsx('messy.xlsx', (ws) => {
      ws.mergeCells('A1:H1');
      ws.getCell('A1').value = '华夏大学2024学年第一学期成绩单';
      ws.getRow(2).values = ['学号 Student number', '姓名', '课程号', '学年学期', '总评成绩', '完成日期', '修读次数', '备注'];
      ws.getRow(3).values = ['2024010001', '张晓明', 'CS2031', '2024-2025-1', 86, new Date(Date.UTC(2025, 0, 15)), 1, '正常'];
      ws.getRow(4).values = [2024010002, ' 李\u3000 华 ', 'ＣＳ２０３１', '２０２４-２０２５-１', 3.4999999999999996, '2025/1/15', '１', null];
      ws.getRow(5).values = [
        '2024010003',
        { formula: 'CONCATENATE("王","五")', result: '王五' },
        { text: 'CS2032', hyperlink: 'https://example.edu/CS2032' },
        '2024-2025-1',
        { formula: '80+5', result: 85 },
        { formula: 'DATE(2025,1,16)', result: 45673 },
        true,
        null,
      ];
      ws.getCell('F5').numFmt = 'yyyy-mm-dd';
      ws.getRow(6).values = [
        '2024010004',
        { richText: [{ text: '赵' }, { text: '六', font: { bold: true } }] },
        'CS2031\u200B',
        '2024-2025-1',
        { error: '#N/A' },
        '',
        2,
        '缺考',
      ];
      ws.getRow(7).values = ['  ', '\u3000', '', null, null, null, null, '只有备注']; // only an unknown column: blank
      ws.getRow(8).values = ['2024010005', '孙七', 'CS2031', '2024-2025-1', '０９０', '20250115'];
      ws.getRow(9).values = ['2024010006', '周八', 'CS2031', '2024-2025-1', { formula: '1/0', result: { error: '#DIV/0!' } }];
      // a shared formula, as Excel writes a filled-down column
      ws.getCell('G8').value = { formula: 'ROW()-7', result: 1, shareType: 'shared', ref: 'G8:G9' } as ExcelJS.CellFormulaValue;
      ws.getCell('G9').value = { sharedFormula: 'G8', result: 2 };
      for (let r = 10; r <= 13; r++) ws.getCell(`A${r}`).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    });
    const rows = await collect(path);
    expect(rows).toEqual([
      {
        rowNumber: 3,
        cells: {
          externalId: '2024010001',
          fullName: '张晓明',
          courseCode: 'CS2031',
          term: '2024-2025-1',
          grade: '86',
          completedOn: '2025-01-15',
          attempt: '1',
        },
      },
      {
        rowNumber: 4,
        cells: { externalId: '2024010002', fullName: '李 华', courseCode: 'CS2031', term: '2024-2025-1', grade: '3.5', completedOn: '2025/1/15', attempt: '1' },
      },
      {
        rowNumber: 5,
        cells: {
          externalId: '2024010003',
          fullName: '王五',
          courseCode: 'CS2032',
          term: '2024-2025-1',
          grade: '85',
          completedOn: '2025-01-16',
          attempt: 'TRUE',
        },
      },
      {
        rowNumber: 6,
        cells: { externalId: '2024010004', fullName: '赵六', courseCode: 'CS2031', term: '2024-2025-1', grade: '#N/A', completedOn: '', attempt: '2' },
      },
      {
        rowNumber: 8,
        cells: { externalId: '2024010005', fullName: '孙七', courseCode: 'CS2031', term: '2024-2025-1', grade: '090', completedOn: '20250115', attempt: '1' },
      },
      // exceljs's streaming reader loses a formula's error text: the cell still fails validation
      {
        rowNumber: 9,
        cells: { externalId: '2024010006', fullName: '周八', courseCode: 'CS2031', term: '2024-2025-1', grade: '#ERROR!', completedOn: '', attempt: '2' },
      },
    ]);
  });

  it('skips a two-row header whose top row is a merged group title', async () => {
    const path = await xlsx('grouped.xlsx', (ws) => {
      ws.mergeCells('A1:B1');
      ws.getCell('A1').value = '学生信息';
      ws.mergeCells('C1:D1');
      ws.getCell('C1').value = '课程信息';
      ws.getCell('E1').value = '成绩信息';
      ws.getRow(2).values = ['学号', '姓名', '课程代码', '学期', '成绩'];
      ws.getRow(3).values = ['2024010001', '张晓明', 'CS2031', '2024-2025-1', 92.5];
    });
    expect(await collect(path)).toEqual([
      { rowNumber: 3, cells: { externalId: '2024010001', fullName: '张晓明', courseCode: 'CS2031', term: '2024-2025-1', grade: '92.5' } },
    ]);
  });

  it('reads a two-row header whose outer cells are merged downwards', async () => {
    const path = await xlsx('vertical.xlsx', (ws) => {
      ws.getCell('A1').value = '学号';
      ws.mergeCells('A1:A2');
      ws.mergeCells('B1:C1');
      ws.getCell('B1').value = '成绩'; // a group title that is also a column name: row 2 has its own
      ws.getCell('D1').value = '课程代码';
      ws.mergeCells('D1:D2');
      ws.getRow(2).getCell(2).value = '学期';
      ws.getRow(2).getCell(3).value = '总评成绩';
      ws.getRow(3).values = ['2024010001', '2024-2025-1', 77, 'CS2031'];
    });
    expect(await collect(path)).toEqual([{ rowNumber: 3, cells: { externalId: '2024010001', term: '2024-2025-1', grade: '77', courseCode: 'CS2031' } }]);
  });

  it('ignores the empty cell a horizontally merged header cell leaves, and other sheets', async () => {
    const path = await xlsx('merged-header.xlsx', (ws, wb) => {
      ws.getRow(1).values = ['学号', '姓名', null, '课程代码', '学期', '成绩'];
      ws.mergeCells('B1:C1');
      ws.getRow(2).values = ['2024010001', '张', '晓明', 'CS2031', '2024-2025-1', 60];
      wb.addWorksheet('说明').getRow(1).values = ['学号', '课程代码', '学期', '成绩'];
    });
    expect(await collect(path)).toEqual([
      { rowNumber: 2, cells: { externalId: '2024010001', fullName: '张', courseCode: 'CS2031', term: '2024-2025-1', grade: '60' } },
    ]);
  });

  it('refuses a header-only workbook as empty', async () => {
    const path = await xlsx('header-only.xlsx', (ws) => {
      ws.getRow(1).values = ['学号', '课程代码', '学期', '成绩'];
    });
    expect(await failure(path)).toMatchObject({ code: 'empty', message: expect.stringMatching(/ \/ The file has a header row but no data rows\.$/) });
  });

  it('refuses zip bombs before inflating them for parsing', async () => {
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const ratio = file(
      'ratio.xlsx',
      zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'xl/worksheets/sheet1.xml', data: zeros },
      ]),
    );
    expect(await failure(ratio)).toMatchObject({ code: 'zip_bomb', details: ['xl/worksheets/sheet1.xml is compressed more than 100:1'] });
    // declares 1000 bytes, inflates to 20 MiB
    const lying = file('lying.xlsx', zip([{ name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 }]));
    expect(await failure(lying)).toMatchObject({ code: 'zip_bomb' });
    // an ordinary workbook over a (lowered) total limit
    const normal = await xlsx('normal.xlsx', (ws) => {
      ws.getRow(1).values = ['学号', '课程代码', '学期', '成绩'];
      ws.getRow(2).values = ['1', 'C', '2024-2025-1', 1];
    });
    expect(await failure(normal, { maxUnzippedBytes: 2048 })).toMatchObject({ code: 'zip_bomb' });
    expect(await collect(normal)).toHaveLength(1);
  });

  it('refuses corrupt workbooks with a plain message', async () => {
    const junk = file('junk.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(4096)]));
    expect(await failure(junk)).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/ \/ The file is not a readable Excel workbook\.$/) });
    const notExcel = file('not-excel.xlsx', zip([{ name: 'readme.txt', data: Buffer.from('hello') }]));
    expect(await failure(notExcel)).toMatchObject({ code: 'corrupt', message: expect.stringMatching(/ \/ The file is not a readable Excel workbook\.$/) });
    const old = file('old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), randomBytes(512)]));
    expect(await failure(old)).toMatchObject({ code: 'format', message: expect.stringMatching(/Excel 97–2003/) });
  });
});

describe('readRows: CSV files', () => {
  it('reads GB18030 (what Chinese Excel writes) with CRLF, quoted newlines and a title row', async () => {
    const text = `华夏大学成绩单,,,,\r\n${HEADER}\r\n2024010001,"张,\r\n晓明",CS2031,2024-2025-1,86\r\n\r\n2024010002,𠀀李,CS2031,2024-2025-1,"7""5"\r\n`;
    const path = file('gbk.csv', iconv.encode(text, 'gb18030'));
    expect(await collect(path)).toEqual([
      { rowNumber: 3, cells: { externalId: '2024010001', fullName: '张, 晓明', courseCode: 'CS2031', term: '2024-2025-1', grade: '86' } },
      { rowNumber: 5, cells: { externalId: '2024010002', fullName: '𠀀李', courseCode: 'CS2031', term: '2024-2025-1', grade: '7"5' } },
    ]);
  });

  it('reads UTF-8 with a BOM: full-width digits, bilingual headers, blank and ragged rows', async () => {
    const text =
      '\uFEFF学号 Student number,Grade,课程代码（Course code）,学期/Term,Remarks\n' +
      '２０２４０１０００１,８６,CS2031,2024-2025-1,ok\n' +
      ',,,,\n' +
      '\n' +
      '2024010002,,CS2031\n' +
      ',,,,trailing remark only\n' +
      ',,,\n';
    expect(await collect(file('bom.csv', text))).toEqual([
      { rowNumber: 2, cells: { externalId: '2024010001', grade: '86', courseCode: 'CS2031', term: '2024-2025-1' } },
      { rowNumber: 5, cells: { externalId: '2024010002', grade: '', courseCode: 'CS2031', term: '' } },
    ]);
  });

  it('reads UTF-8 without a BOM, semicolon-separated', async () => {
    const text = `学号;课程代码;学期;成绩\n2024010001;CS2031;2024-2025-1;3,5\n`;
    expect(await collect(file('semi.csv', text))).toEqual([
      { rowNumber: 2, cells: { externalId: '2024010001', courseCode: 'CS2031', term: '2024-2025-1', grade: '3,5' } },
    ]);
  });

  it('reads Excel\'s "Unicode text": UTF-16LE, tab-separated', async () => {
    const text = `\uFEFF学号\t课程代码\t学期\t成绩\r\n2024010001\tCS2031\t2024-2025-1\t优秀\r\n`;
    expect(await collect(file('unicode.txt', iconv.encode(text, 'utf16le')))).toEqual([
      { rowNumber: 2, cells: { externalId: '2024010001', courseCode: 'CS2031', term: '2024-2025-1', grade: '优秀' } },
    ]);
  });

  it('reports text that is in neither encoding', async () => {
    // 64 KiB of plain ASCII first, so the sample looks like UTF-8; then GBK bytes
    const ascii = Array.from({ length: 3000 }, (_, i) => `${2024000000 + i},CS2031,2024-2025-1,80`).join('\n');
    const path = file(
      'mixed.csv',
      Buffer.concat([Buffer.from(`学号,课程代码,学期,成绩\n${ascii}\n`), iconv.encode('2024010001,课程,2024-2025-1,80\n', 'gbk')]),
    );
    expect(await failure(path)).toMatchObject({
      code: 'encoding',
      message: expect.stringMatching(/^第 3002 行.* \/ Row 3002 has text that is not valid UTF-8/),
    });
  });

  it('refuses wrong headers, naming the missing columns in both languages', async () => {
    const path = file('wrong.csv', '学号,姓名,课程代码,分数,学年\n2024010001,张,CS2031,86,2024\n');
    const e = await failure(path);
    expect(e.code).toBe('bad_headers');
    expect(e.message).toMatch(/^缺少必填列：学期 Term、成绩 Grade（.*\/ Missing required column\(s\): 学期 Term, 成绩 Grade\./);
    expect(e.details).toContain('无法识别的列：“分数” / Unrecognised column: "分数"');
    expect(e.details).toContain('无法识别的列：“学年” / Unrecognised column: "学年"');
    expect(
      e.details.some(
        (d) => d.startsWith('成绩列的表头可写作：成绩 | Grade | 成绩 Grade | 总评成绩') && d.includes(' / Grade (成绩) may be headed: 成绩 | Grade'),
      ),
    ).toBe(true);
  });

  it('refuses a column given twice', async () => {
    const e = await failure(file('dup.csv', '学号,课程代码,学期,考试成绩,总评成绩\n1,C,T,80,85\n'));
    expect(e).toMatchObject({ code: 'bad_headers', details: ['成绩 Grade: "考试成绩", "总评成绩"'] });
    expect(e.message).toMatch(/成绩 Grade/);
  });

  it('looks for the header only in the first 10 rows', async () => {
    const titles = Array.from({ length: 10 }, (_, i) => `标题${i}`).join('\n');
    expect((await failure(file('deep.csv', `${titles}\n${HEADER}\n1,张,C,T,80\n`))).code).toBe('bad_headers');
    const nine = Array.from({ length: 9 }, (_, i) => `标题${i}`).join('\n');
    expect(await collect(file('nine.csv', `\n\n${nine}\n${HEADER}\n1,张,C,T,80\n`))).toEqual([
      { rowNumber: 13, cells: { externalId: '1', fullName: '张', courseCode: 'C', term: 'T', grade: '80' } },
    ]);
  });

  it('refuses empty, blank and header-only files', async () => {
    expect(await failure(file('empty.csv', ''))).toMatchObject({ code: 'empty', message: expect.stringMatching(/ \/ The file is empty\.$/) });
    expect(await failure(file('bom-only.csv', '\uFEFF'))).toMatchObject({ code: 'empty', message: expect.stringMatching(/ \/ The file has no rows\.$/) });
    expect(await failure(file('blank.csv', '\n , \n\n'))).toMatchObject({ code: 'empty' });
    expect(await failure(file('header-only.csv', `${HEADER}\n,,,,\n`))).toMatchObject({
      code: 'empty',
      message: expect.stringMatching(/ \/ The file has a header row but no data rows\.$/),
    });
  });

  it('refuses files over the size and row limits', async () => {
    const path = file('three.csv', `${HEADER}\n1,a,C,T,1\n2,b,C,T,2\n3,c,C,T,3\n`);
    expect(await failure(path, { maxBytes: 20 })).toMatchObject({ code: 'too_large' });
    expect(await failure(path, { maxRows: 2 })).toMatchObject({ code: 'too_large', message: expect.stringMatching(/more than 2 data rows/) });
    expect(await collect(path, { maxRows: 3 })).toHaveLength(3);
  });

  it('refuses an unclosed quote as a corrupt file instead of reading the rest as one cell', async () => {
    const path = file('unclosed.csv', `${HEADER}\n1,"a,C,T,1\n${'2,b,C,T,2\n'.repeat(120_000)}`);
    expect(await failure(path)).toMatchObject({ code: 'corrupt' });
  });

  it('refuses unknown formats', async () => {
    expect(await failure(file('grades.xls', '<html><table><tr><td>学号</td></tr></table></html>'))).toMatchObject({ code: 'format' });
    expect(await collect(file('no-extension', `${HEADER}\n1,a,C,T,1\n`), { format: 'csv' })).toHaveLength(1);
  });

  it('streams: a 200,000-row file is read lazily, in modest memory, with progress', async () => {
    // the file is written from a scope of its own, so that its text is garbage by the time memory is measured
    const { path, size } = (() => {
      const lines = [HEADER];
      for (let i = 0; i < 200_000; i++) lines.push(`${2024000000 + i},学生${i},CS${i % 500},2024-2025-1,${i % 101}`);
      const text = `${lines.join('\n')}\n`;
      return { path: file('big.csv', text), size: Buffer.byteLength(text) };
    })();
    let bytes = 0;
    let reports = 0;
    let bytesAtRow1000 = -1;
    // live memory only: garbage waiting for the collector says nothing of what the reader keeps
    const live = () => (gc(), process.memoryUsage().heapUsed);
    const before = live();
    let peak = before;
    let count = 0;
    for await (const row of readRows(path, RESULTS, {
      onBytes: (read, total) => {
        bytes = read;
        reports++;
        expect(total).toBe(size);
      },
    })) {
      count++;
      if (count === 1)
        expect(row).toEqual({ rowNumber: 2, cells: { externalId: '2024000000', fullName: '学生0', courseCode: 'CS0', term: '2024-2025-1', grade: '0' } });
      if (count === 1000) bytesAtRow1000 = bytes;
      if (count % 10_000 === 0) peak = Math.max(peak, live());
    }
    expect(count).toBe(200_000);
    expect(bytesAtRow1000).toBeLessThan(size / 10); // rows arrive before the file has been read
    expect(bytes).toBe(size);
    expect(reports).toBeGreaterThan(10);
    // what it keeps: 1.4 MB here; a reader that held every row would keep about 56 MB
    expect(peak - before).toBeLessThan(16 * 1024 * 1024);
  });
});
