// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { PriceSplit } from '../../web/src/components/price-split.js';
import { yuan } from '../../web/src/format.js';

describe('money on the pages', () => {
  it('shows fen as yuan with two decimals, without floating-point drift', () => {
    expect(yuan(1500)).toBe('¥15.00');
    expect(yuan(1234)).toBe('¥12.34');
    expect(yuan(5)).toBe('¥0.05');
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(10)).toBe('¥0.10');
    expect(yuan(-300)).toBe('-¥3.00');
    // 0.29 * 100 is 28.999999999999996 in floating point; fen stay integers here.
    expect(yuan(29)).toBe('¥0.29');
    expect(yuan(123456789)).toBe('¥1234567.89');
  });

  afterEach(() => {
    document.body.innerHTML = '';
  });

  it('splits a price into 原价, 补贴 and 自付, each labelled in words', () => {
    const root = document.createElement('div');
    document.body.append(root);
    render(<PriceSplit priceFen={1500} subsidyFen={300} payFen={1200} label="12月2日 午餐" />, root);
    const terms = [...root.querySelectorAll('dt')].map((d) => d.textContent);
    const values = [...root.querySelectorAll('dd')].map((d) => d.textContent);
    expect(terms).toEqual(['原价', '补贴', '自付']);
    expect(values).toEqual(['¥15.00', '−¥3.00', '¥12.00']);
    expect(root.querySelector('dl')?.getAttribute('aria-label')).toBe('12月2日 午餐');
  });

  it('shows a meal without subsidy as paying the whole price', () => {
    const root = document.createElement('div');
    document.body.append(root);
    render(<PriceSplit priceFen={800} subsidyFen={0} payFen={800} />, root);
    expect(root.querySelector('[data-testid="subsidy"]')?.textContent).toBe('−¥0.00');
    expect(root.querySelector('[data-testid="pay"]')?.textContent).toBe('¥8.00');
  });
});
