import { describe, expect, it } from 'vitest';
import zhCN from './zh-CN.json';
import en from './en.json';

type Catalogue = { [key: string]: string | Catalogue };

/** Flattens a nested catalogue to dotted keys → values. */
function flatten(catalogue: Catalogue, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/** The {{placeholders}} a message interpolates. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

const catalogues = { 'zh-CN': flatten(zhCN as Catalogue), en: flatten(en as Catalogue) };

describe('i18n catalogues', () => {
  it('have identical key sets', () => {
    const zhKeys = [...catalogues['zh-CN'].keys()].sort();
    const enKeys = [...catalogues.en.keys()].sort();
    expect(zhKeys.filter((k) => !catalogues.en.has(k))).toEqual([]);
    expect(enKeys.filter((k) => !catalogues['zh-CN'].has(k))).toEqual([]);
    expect(zhKeys.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(catalogues))('%s has only non-empty string values', (_lang, entries) => {
    const bad = [...entries].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    expect(bad).toEqual([]);
  });

  it('use the same interpolation placeholders in both languages', () => {
    const mismatched = [...catalogues['zh-CN']]
      .filter(([k, v]) => placeholders(String(v)).join() !== placeholders(String(catalogues.en.get(k) ?? '')).join())
      .map(([k]) => k);
    expect(mismatched).toEqual([]);
  });
});

describe('source code', () => {
  it('only calls t() with keys that exist', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const root = join(import.meta.dirname, '..');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/\bt\(\s*['"]([^'"]+)['"]/g)) {
        const key = m[1] ?? '';
        if (!catalogues['zh-CN'].has(key)) missing.push(`${file}: ${key}`);
      }
    }
    expect(files.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
