import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ReactMarkdown from 'react-markdown';
import { describe, expect, it } from 'vitest';
import { GUIDE_LANGUAGES, GUIDE_ROLES, guideOrder, isGuideRole } from './guides';

const GUIDES = fileURLToPath(new URL('../../../public/guides/', import.meta.url));
const read = (role: string, lang: string) => fs.readFileSync(path.join(GUIDES, `${role}.${lang}.md`), 'utf8');
/** The images a guide shows: Markdown images with a relative address, beside the guides. */
const imagesOf = (text: string) => [...text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
const CJK = /[\u4e00-\u9fff]/g;

describe('the guides for each role', () => {
  it('has every role in both languages, each a titled text of about one or two screens', () => {
    for (const role of GUIDE_ROLES) {
      for (const lang of GUIDE_LANGUAGES) {
        const file = path.join(GUIDES, `${role}.${lang}.md`);
        expect(fs.existsSync(file), file).toBe(true);
        const text = read(role, lang);
        expect(text.startsWith('# '), `${file} starts with its title`).toBe(true);
        // a Chinese character says about as much as two or three English letters
        expect(text.length, file).toBeGreaterThan(lang === 'en' ? 2000 : 800);
        expect(text.length, file).toBeLessThan(lang === 'en' ? 7000 : 3000);
        const cjk = (text.match(CJK) ?? []).length;
        // the Chinese guide is in Chinese; the English one quotes no Chinese menu names
        if (lang === 'zh-CN') expect(cjk, file).toBeGreaterThan(500);
        else expect(cjk, file).toBe(0);
      }
    }
  });

  it('renders as Markdown: no stray asterisks (Chinese punctuation beside ** can keep it from closing)', () => {
    for (const role of GUIDE_ROLES) {
      for (const lang of GUIDE_LANGUAGES) {
        const md = read(role, lang);
        const html = renderToStaticMarkup(createElement(ReactMarkdown, null, md));
        expect(html.replace(/<[^>]+>/g, ''), `${role}.${lang}`).not.toMatch(/\*\*|__/);
        expect((html.match(/<strong>/g) ?? []).length, `${role}.${lang}: every ** pair is bold`).toBe((md.match(/\*\*/g) ?? []).length / 2);
      }
    }
  });

  it('shows one to three images per guide, each one there, small, and the same in both languages', () => {
    let total = 0;
    const referenced = new Set<string>();
    for (const role of GUIDE_ROLES) {
      const byLang = GUIDE_LANGUAGES.map((lang) => imagesOf(read(role, lang)));
      for (const [i, images] of byLang.entries()) {
        const lang = GUIDE_LANGUAGES[i]!;
        expect(images.length, `${role}.${lang}`).toBeGreaterThanOrEqual(1);
        expect(images.length, `${role}.${lang}`).toBeLessThanOrEqual(3);
        for (const src of images) {
          expect(src, 'relative, beside the guides').toMatch(/^img\/[a-zA-Z0-9.-]+\.(png|jpe?g|webp)$/);
          expect(src, `${role}.${lang} shows its own language's screenshot`).toContain(`.${lang}.`);
          const file = path.join(GUIDES, src);
          expect(fs.existsSync(file), `${role}.${lang} shows ${src}`).toBe(true);
          const size = fs.statSync(file).size;
          expect(size, src).toBeLessThan(150 * 1024);
          if (!referenced.has(src)) total += size;
          referenced.add(src);
        }
      }
      expect(
        byLang[0]!.map((s) => s.replace('.zh-CN.', '.')),
        role,
      ).toEqual(byLang[1]!.map((s) => s.replace('.en.', '.')));
    }
    expect(total).toBeLessThan(3 * 1024 * 1024);
    // no image is left behind that no guide shows
    const files = fs.readdirSync(path.join(GUIDES, 'img')).map((f) => `img/${f}`);
    expect(files.sort()).toEqual([...referenced].sort());
  });

  it('lists the reader’s own guides first, and the employer’s first for a visitor', () => {
    expect(guideOrder(null)).toEqual(['employer', 'learner', 'registrar', 'reviewer', 'committee', 'admin']);
    expect(guideOrder(['learner'])).toEqual(['learner', 'registrar', 'reviewer', 'committee', 'admin', 'employer']);
    expect(guideOrder(['admin', 'reviewer'])).toEqual(['reviewer', 'admin', 'learner', 'registrar', 'committee', 'employer']);
    expect(guideOrder(['admin', 'reviewer'])).toHaveLength(GUIDE_ROLES.length);
    expect(isGuideRole('employer')).toBe(true);
    expect(isGuideRole('public')).toBe(false);
    expect(isGuideRole(undefined)).toBe(false);
  });
});
