import { yuan } from '../format.js';
import { t } from '../messages.js';

/** 原价 / 补贴 / 自付 in yuan, from fen. */
export function PriceSplit(props: { priceFen: number; subsidyFen: number; payFen: number; label?: string }) {
  return (
    <dl class="price" aria-label={props.label}>
      <div>
        <dt>{t.price}</dt>
        <dd data-testid="price">{yuan(props.priceFen)}</dd>
      </div>
      <div>
        <dt>{t.subsidy}</dt>
        <dd data-testid="subsidy" class="nowrap">−{yuan(props.subsidyFen)}</dd>
      </div>
      <div class="pay">
        <dt>{t.pay}</dt>
        <dd data-testid="pay">{yuan(props.payFen)}</dd>
      </div>
    </dl>
  );
}
