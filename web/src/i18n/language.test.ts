// The page opens in the browser's language until the user picks one with the switch.
import { describe, expect, it } from 'vitest';
import { browserLanguage } from './index.js';

describe('browserLanguage', () => {
  it('reads the first language we ship among the browser’s', () => {
    expect(browserLanguage(['en-GB', 'zh-CN'])).toBe('en');
    expect(browserLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(browserLanguage(['fr-FR', 'de', 'en-US'])).toBe('en');
    expect(browserLanguage(['ZH'])).toBe('zh-CN');
  });
  it('falls back to Chinese when the browser names none of ours', () => {
    expect(browserLanguage(['fr-FR'])).toBe('zh-CN');
    expect(browserLanguage([])).toBe('zh-CN');
  });
});
