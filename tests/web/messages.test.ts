import { describe, expect, it } from 'vitest';
import { errorCatalogue, errorCodes } from '../../shared/http/error-codes.js';
import { clientErrorSentences, errorSentences, fieldProblems, t } from '../../web/src/messages.js';

describe('the pages\' wording', () => {
  it.each(errorCodes)('%s has a plain Chinese sentence, never the code itself', (code) => {
    const sentence = errorSentences[code];
    expect(sentence, `messages.ts has no sentence for ${code}`).toBeTruthy();
    expect(sentence).toMatch(/[\u4e00-\u9fff]/);
    expect(sentence).toMatch(/[。！？]$/);
    expect(sentence).not.toContain(code);
    expect(sentence).not.toMatch(/[{}[\]]|\b[A-Z_]{4,}\b/);
  });

  it('has no sentence for a code the catalogue does not know', () => {
    expect(Object.keys(errorSentences).sort()).toEqual(Object.keys(errorCatalogue).sort());
  });

  it('says the contract\'s sentences for the booking refusals', () => {
    expect(errorSentences.SLOT_FULL).toBe('该餐次已订满，请选择其他餐次或日期。');
    for (const code of ['CUTOFF_PASSED', 'ALREADY_BOOKED', 'DELIVERY_NOT_OFFERED', 'SLOT_NOT_OFFERED', 'NOT_CANCELLABLE', 'ELDER_DECEASED'] as const) {
      expect(errorSentences[code].length).toBeGreaterThan(8);
    }
  });

  it('client failures and field problems are sentences too', () => {
    for (const s of [...Object.values(clientErrorSentences), ...Object.values(fieldProblems)]) expect(s).toMatch(/[\u4e00-\u9fff].*[。！？]$/);
    expect(t.confirmBooking).toBe('确认预订');
  });
});
