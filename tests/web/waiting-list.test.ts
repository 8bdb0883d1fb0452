import { describe, expect, it } from 'vitest';
import { admittedTime } from '../../web/src/pages/staff/offer-actions.js';
import { cstLocalInput, cstLongDate, cstMonthDayTime, instantOfCstLocal } from '../../web/src/format.js';
import { classOrdinal, waitingReason } from '../../web/src/messages.js';
import { careTagLabel } from '../../web/src/staff-messages.js';
import { figuresRangeProblem, applicationBodyOf, classInWords, declinesInWords, days, policyBodyOf, policyFormOf, policyLines, policyTermsInWords, type PolicyForm } from '../../web/src/waiting-forms.js';

/** A policy as the API answers GET /v1/admission-policy. */
const policy = {
  county: '411327', version: '2026-11-01', updatedAt: '2026-11-01T00:00:00.000Z', effectiveFrom: '2026-11-01', offerHoldDays: 3, declinesBeforeRequeue: 2,
  classes: [
    { name: '特困供养', match: { categories: ['tekun' as const] } },
    { name: '低保低收入失能', match: { categories: ['dibao' as const, 'low_income' as const], capabilityLevelAtLeast: 2 } },
    { name: '高龄', match: { minAge: 80 } },
  ],
};

describe('China Standard Time, whatever the device\'s zone', () => {
  it('writes a hold\'s deadline as month, day and Beijing time (UTC+8), across midnight and the year\'s end', () => {
    expect(cstMonthDayTime('2026-12-04T06:30:00.000Z')).toBe('12月4日 14:30');
    // 16:05 UTC is 00:05 the next day in Beijing
    expect(cstMonthDayTime('2026-12-31T16:05:00Z')).toBe('1月1日 00:05');
    expect(cstMonthDayTime('2026-12-04T14:30:00+08:00')).toBe('12月4日 14:30');
    expect(cstLongDate('2026-11-02T17:00:00Z')).toBe('2026年11月3日');
  });

  it('reads and writes the admission time field as Beijing time', () => {
    expect(cstLocalInput('2026-12-01T06:30:00.000Z')).toBe('2026-12-01T14:30');
    expect(instantOfCstLocal('2026-12-01T14:30')).toBe('2026-12-01T06:30:00.000Z');
    expect(instantOfCstLocal(cstLocalInput('2026-12-31T16:05:00.000Z'))).toBe('2026-12-31T16:05:00.000Z');
    expect(instantOfCstLocal('')).toBeUndefined();
    expect(instantOfCstLocal('2026-13-01T10:00')).toBeUndefined();
  });
});

describe('why the elder is where they are (the family\'s sentence)', () => {
  it('names the rule, the elder\'s class with its rank, and the date of application', () => {
    expect(waitingReason({ priorityClass: '特困供养', classRank: 0, appliedAt: '2026-11-02T17:00:00Z' }))
      .toBe('按县民政局轮候规则，优先类别的老人排在前面，同一类别按申请先后排序；老人属于第一类“特困供养”，2026年11月3日申请。');
    expect(waitingReason({ priorityClass: '高龄', appliedAt: '2026-11-03T01:00:00Z' })).toContain('老人属于“高龄”，2026年11月3日申请。');
  });

  it('says an elder of no class ranks by date, and a requeued one since when', () => {
    expect(waitingReason({ priorityClass: '其他', classRank: 3, appliedAt: '2026-10-01T02:00:00Z' })).toBe('按县民政局轮候规则，优先类别的老人排在前面，同一类别按申请先后排序；老人不属于优先类别，按2026年10月1日申请的先后排队。');
    expect(waitingReason({ appliedAt: '2026-10-01T02:00:00Z' })).toContain('老人不属于优先类别');
    expect(waitingReason({ priorityClass: '特困供养', classRank: 0, appliedAt: '2026-10-01T02:00:00Z', queuedAt: '2026-11-20T02:00:00Z', requeued: true }))
      .toContain('老人属于第一类“特困供养”，因放弃配床，自2026年11月20日起在本类别中重新排队。');
  });

  it('numbers classes as a published policy does, up to twenty', () => {
    expect([0, 1, 9, 10, 19].map(classOrdinal)).toEqual(['第一类', '第二类', '第十类', '第十一类', '第二十类']);
  });
});

describe('the admission policy in words', () => {
  it('writes each class\'s conditions, then everyone else', () => {
    expect(policyLines(policy)).toEqual([
      '第一类 特困供养：属于特困',
      '第二类 低保低收入失能：属于低保或低收入，且老年人能力等级2级及以上',
      '第三类 高龄：年满80周岁',
      '其他：不属于以上类别的老人，排在以上各类别之后',
    ]);
    expect(classInWords({ match: {} })).toBe('所有老人');
    expect(policyTermsInWords(policy)).toBe('配床后床位保留3天；放弃配床（含逾期未入住）累计2次的，移到本类别末尾重新排队。');
    expect(policyTermsInWords({ offerHoldDays: 5, declinesBeforeRequeue: 0 })).toBe('配床后床位保留5天；放弃配床不影响排序。');
  });
});

describe('the policy form', () => {
  it('starts from the policy in force, dated today, or tomorrow when the version in force is dated today', () => {
    const form = policyFormOf(policy, '2026-12-01');
    expect(form.effectiveFrom).toBe('2026-12-01');
    expect(form.classes[1]).toEqual({ name: '低保低收入失能', categories: ['dibao', 'low_income'], capabilityLevelAtLeast: '2', minAge: '' });
    expect(policyFormOf({ ...policy, effectiveFrom: '2026-12-01' }, '2026-12-01').effectiveFrom).toBe('2026-12-02');
    expect(policyFormOf(undefined, '2026-12-01').classes).toHaveLength(1);
  });

  it('gives back the policy it was made from, as the PUT body', () => {
    const r = policyBodyOf(policyFormOf(policy, '2026-12-01'));
    expect(r).toEqual({ ok: true, body: { effectiveFrom: '2026-12-01', classes: policy.classes, offerHoldDays: 3, declinesBeforeRequeue: 2 } });
  });

  it('names each field the schema refuses: a blank class name, an age that is not a whole number, two classes of one name, hold days out of range', () => {
    const base = policyFormOf(policy, '2026-12-01');
    const bad: PolicyForm = { ...base, offerHoldDays: '31', classes: [{ ...base.classes[0]!, name: ' ' }, { ...base.classes[2]!, minAge: '八十' }] };
    const r = policyBodyOf(bad);
    expect(r.ok).toBe(false);
    expect(!r.ok && Object.keys(r.problems).sort()).toEqual(['classes.0.name', 'classes.1.minAge', 'offerHoldDays']);
    const twice = policyBodyOf({ ...base, classes: [base.classes[0]!, base.classes[0]!] });
    expect(!twice.ok && Object.keys(twice.problems)).toEqual(['classes']);
    const noDate = policyBodyOf({ ...base, effectiveFrom: '' });
    expect(!noDate.ok && Object.keys(noDate.problems)).toEqual(['effectiveFrom']);
  });
});

describe('the application form', () => {
  const elderId = 'eld_01JZ0000000000000000000000';
  it('sends tags lower-cased whatever separated them, and a township only as given', () => {
    expect(applicationBodyOf({ elderId, careType: 'nursing', tags: 'Dementia_care，hospice 、 stroke_rehab', institutionIds: [], township: '411327101' }))
      .toEqual({ ok: true, body: { elderId, careType: 'nursing', tags: ['dementia_care', 'hospice', 'stroke_rehab'], township: '411327101' } });
    expect(applicationBodyOf({ elderId, careType: 'ordinary', tags: '', institutionIds: ['ins_1'], township: '' }))
      .toEqual({ ok: true, body: { elderId, careType: 'ordinary', tags: [], institutionIds: ['ins_1'] } });
  });

  it('refuses tags that are not bed tags, naming the field', () => {
    const r = applicationBodyOf({ elderId, careType: 'nursing', tags: '认知症', institutionIds: [], township: '' });
    expect(r).toEqual({ ok: false, problems: { tags: 'invalid' } });
  });
});

describe('the queue\'s words', () => {
  it('says how many offers were declined and whether that moved the application', () => {
    expect(declinesInWords({ declinedAt: [], requeued: false })).toBe('');
    expect(declinesInWords({ declinedAt: ['2026-11-01T00:00:00Z'], requeued: false })).toBe('已放弃1次');
    expect(declinesInWords({ declinedAt: ['2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z'], requeued: true })).toBe('已放弃2次，已移到本类别末尾重新排队');
    expect(days(12.345)).toBe('12.3天');
    expect(days(0)).toBe('0.0天');
  });
});

describe('the admission time sent when accepting an offer', () => {
  const offer = { madeAt: '2026-12-01T06:30:40.000Z' };
  it('is now when the field was left alone (it shows minutes only, and the offer may be seconds old)', () => {
    expect(admittedTime(offer, undefined, new Date('2026-12-01T06:30:55.123Z'))).toBe('2026-12-01T06:30:55.123Z');
  });
  it('is the typed Beijing time, or the offer\'s own time when typed in the minute it was made', () => {
    expect(admittedTime(offer, '2026-12-01T15:00')).toBe('2026-12-01T07:00:00.000Z');
    expect(admittedTime(offer, '2026-12-01T14:30')).toBe(offer.madeAt);
    // Earlier still: sent as typed, for the API to refuse in words (DATE_OUT_OF_ORDER)
    expect(admittedTime(offer, '2026-12-01T14:29')).toBe('2026-12-01T06:29:00.000Z');
    expect(admittedTime(offer, '')).toBeUndefined();
  });
});

describe('care tags', () => {
  it('says the common ones in words and shows any other as typed', () => {
    expect(careTagLabel('dementia_care')).toBe('认知症照护');
    expect(careTagLabel('night_watch')).toBe('night_watch');
  });
});

describe('the figures range', () => {
  it('is said wrong in words before it is sent: order, span of at most 24 months (across years)', () => {
    expect(figuresRangeProblem('2026-01', '2026-12')).toBeUndefined();
    expect(figuresRangeProblem('2024-02', '2026-01')).toBeUndefined();
    expect(figuresRangeProblem('2024-01', '2026-01')).toBe('一次最多查询24个月，请缩短时间范围。');
    expect(figuresRangeProblem('2026-12', '2026-01')).toBe('截止月份不能早于起始月份。');
    expect(figuresRangeProblem('', '2026-01')).toBe('请选择起止月份。');
  });
});
