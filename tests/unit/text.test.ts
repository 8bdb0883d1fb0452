import { describe, expect, it } from 'vitest';
import { clientKey, text, textMessages, webUrl } from '../../shared/schemas/common.js';

const name = text(1, 50);
const note = text(0, 500, { multiline: true });
const key = clientKey(64);
const problems = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, v: string) =>
  schema.safeParse(v).error?.issues.map((i) => i.message) ?? [];

describe('text(): what people type and others read', () => {
  it.each([
    ['阿依古丽·买买提'], ['欧阳娜娜'], ['王秀英'], ['Zoë'], ['O\'Brien-Smith'], ['👨‍👩‍👧 家'], ['ئايگۈل'], ['김민준'],
  ])('keeps the real name %s as it is', (v) => {
    expect(name.parse(v)).toBe(v.normalize('NFC'));
  });

  it('normalises to NFC (Unicode TR15): a decomposed é and a composed one are the same string', () => {
    expect(name.parse('Zoe\u0308')).toBe('Zo\u00eb');
    expect(name.parse('  王秀英 ')).toBe('王秀英');
    // NFC can shorten a string: the length limit counts what is stored.
    expect(text(1, 3).safeParse('e\u0301e\u0301e\u0301').success).toBe(true);
  });

  it.each([
    ['zero-width space and joiner only', '\u200b\u200d'],
    ['a variation selector only', '\ufe0f'],
    ['a Hangul filler', '\u3164'],
    ['a blank braille pattern', '\u2800'],
    ['a combining mark without a base', '\u0301'],
    ['a zero-width space between ideographic spaces', '\u3000\u200b\u3000'],
    ['bidi controls only', '\u202e\u2066'],
  ])('refuses %s: nothing visible', (_n, v) => {
    expect(problems(name, v)).toEqual([textMessages.invisible]);
    expect(problems(note, v)).toEqual([textMessages.invisible]);
  });

  it.each([
    ['NUL', '测\u0000试'], ['escape', 'a\u001b[31m'], ['DEL', 'a\u007f'], ['C1 NEL', 'a\u0085b'], ['tab', 'a\tb'], ['line feed', 'a\nb'],
  ])('refuses a control character (%s) in a one-line field', (_n, v) => {
    expect(problems(name, v)).toEqual([textMessages.control]);
  });

  it('a multi-line note keeps tab and line feed (CR LF and CR become LF) and refuses other controls', () => {
    expect(note.parse('探访时老人在家。\r\n情况良好\r已通知家属\t(电话)')).toBe('探访时老人在家。\n情况良好\n已通知家属\t(电话)');
    expect(problems(note, 'ok\u0000')).toEqual([textMessages.controlMultiline]);
    expect(note.parse('')).toBe('');
  });

  it('refuses unpaired surrogates, keeps paired ones (emoji, CJK Extension B)', () => {
    expect(problems(name, 'a\ud800')).toEqual([textMessages.loneSurrogate]);
    expect(problems(name, '\udc00b')).toEqual([textMessages.loneSurrogate]);
    expect(name.parse('😀')).toBe('😀');
    expect(name.parse('𠀀')).toBe('𠀀');
  });
});

describe('clientKey(): ids a client chooses', () => {
  it('keeps visible ids, trims the ends, and refuses white space or invisible characters inside', () => {
    expect(key.parse(' t7-0001 ')).toBe('t7-0001');
    expect(key.parse('食堂1/0001')).toBe('食堂1/0001');
    expect(problems(key, 't7\u200b-0001')).toEqual([textMessages.keyChars]);
    expect(problems(key, 't7 0001')).toEqual([textMessages.keyChars]);
    expect(problems(key, 't7\u00000001')).toEqual([textMessages.control]);
    expect(problems(key, '')).toHaveLength(1);
  });

  it('a URL must be http(s) without spaces, controls or invisible characters', () => {
    expect(webUrl().parse('https://live.example.invalid/kitchen/1')).toBe('https://live.example.invalid/kitchen/1');
    for (const bad of ['https://x.invalid/\u0000a', 'https://x.invalid/a b', 'https://x.invalid/\u200b', 'ftp://x.invalid/', 'javascript:alert(1)']) {
      expect(webUrl().safeParse(bad).success, bad).toBe(false);
    }
  });
});
