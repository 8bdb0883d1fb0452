import { useEffect, useRef, useState } from 'preact/hooks';
import type { Principal } from '#shared/auth/principal.js';
import { call, type Answer } from '../../api.js';
import { Loading } from '../../components/layout.js';
import { ErrorNotice } from '../../components/notice.js';
import { RoleOnly, StaffPage } from '../../components/staff-only.js';
import { addDays, cstToday } from '../../format.js';
import { institutionKindLabels, st } from '../../staff-messages.js';
import { useLoad } from '../../use-load.js';
import type { ChartSeries } from './charts.js';
import { count, percent } from './figures.js';

type Occupancy = Answer<'occupancy'>;

/**
 * `/staff`: bed occupancy of the signed-in staff's area (the county, or their township): the
 * headline figures, occupied and vacant beds by township (bar chart and the same numbers as a
 * table), the daily history over a chosen range (line chart and table), and institutions ranked
 * by vacant beds. The charts come from the chart chunk (./charts.ts), loaded only here.
 */
export function Occupancy() {
  return <RoleOnly roles={['staff']}>{(who) => <OccupancyPage who={who} />}</RoleOnly>;
}

function OccupancyPage(props: { who: Principal }) {
  const data = useLoad(async () => {
    const [occupancy, vacancies] = await Promise.all([call('occupancy', { query: {} }), call('vacancies', { query: {} })]);
    return { occupancy, vacancies: vacancies.items };
  }, []);
  const o = data.data?.occupancy;
  const scopeName = o?.scope.township ? (o.byTownship.find((t) => t.township === o.scope.township)?.name ?? o.scope.township) : undefined;
  return (
    <StaffPage who={props.who} title={st.occupancyTitle}>
      <ErrorNotice error={data.error} />
      {!o && !data.error && <Loading />}
      {o && (
        <>
          <p class="scope">{scopeName ? st.townshipScope(scopeName) : st.countyScope}</p>
          <Headline o={o} />
          <ByTownship o={o} />
          <History />
          <Ranked items={[...data.data!.vacancies].sort((a, b) => b.vacant - a.vacant)} names={new Map(o.byTownship.map((t) => [t.township, t.name ?? t.township]))} />
        </>
      )}
    </StaffPage>
  );
}

function Headline(props: { o: Occupancy }) {
  const { o } = props;
  const figures: [string, string, string][] = [
    ['beds', st.beds, count(o.beds)],
    ['occupied', st.occupied, count(o.occupied)],
    ['vacant', st.vacant, count(o.vacant)],
    ['occupancyRate', st.occupancyRate, percent(o.occupancyRate)],
    ['nursingShare', st.nursingShare, percent(o.nursingShare)],
    ['bedsPer1000Elders', st.per1000, o.bedsPer1000Elders === null ? st.notAvailable : String(o.bedsPer1000Elders)],
    ['reserved', st.reserved, count(o.reserved)],
    ['outOfService', st.outOfService, count(o.outOfService)],
    ['homeCareBeds', st.homeCareBeds, count(o.homeCareBeds)],
  ];
  return (
    <dl class="figures">
      {figures.map(([key, label, value]) => (
        <div key={key}>
          <dt>{label}</dt>
          <dd data-testid={`figure-${key}`}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A chart drawn by the chart chunk into a box; the box says what it shows (the table follows). */
function Chart(props: { kind: 'bars' | 'lines'; label: string; categories: readonly string[]; series: readonly ChartSeries[]; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let live = true;
    void import('./charts.js').then((charts) => {
      if (!live || !box.current) return;
      dispose = props.kind === 'bars' ? charts.drawBars(box.current, props.categories, props.series) : charts.drawLines(box.current, props.categories, props.series);
    });
    return () => {
      live = false;
      dispose?.();
    };
  }, [props.kind, JSON.stringify(props.categories), JSON.stringify(props.series)]);
  return <div class="chart" ref={box} role="img" aria-label={`${props.label}。${st.chartTableNote}`} data-testid={props.testId} />;
}

function ByTownship(props: { o: Occupancy }) {
  const rows = props.o.byTownship;
  const names = rows.map((t) => t.name ?? t.township);
  return (
    <section aria-labelledby="by-township">
      <h2 id="by-township">{st.byTownshipTitle}</h2>
      <Chart kind="bars" label={st.byTownshipChart} categories={names} series={[{ name: st.occupied, data: rows.map((t) => t.occupied) }, { name: st.vacant, data: rows.map((t) => t.vacant) }]} testId="chart-townships" />
      <div class="table-wrap">
        <table class="data" data-testid="table-townships">
          <caption>{st.byTownshipTitle}</caption>
          <thead>
            <tr><th scope="col">{st.township}</th><th scope="col">{st.beds}</th><th scope="col">{st.occupied}</th><th scope="col">{st.vacant}</th><th scope="col">{st.occupancyRate}</th><th scope="col">{st.per1000}</th></tr>
          </thead>
          <tbody>
            {rows.map((t, i) => (
              <tr key={t.township} data-township={t.township}>
                <th scope="row">{names[i]}</th>
                <td data-col="beds">{t.beds}</td>
                <td data-col="occupied">{t.occupied}</td>
                <td data-col="vacant">{t.vacant}</td>
                <td>{percent(t.occupancyRate)}</td>
                <td>{t.bedsPer1000Elders ?? st.notAvailable}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function History() {
  const today = cstToday();
  const [range, setRange] = useState({ from: addDays(today, -29), to: today });
  const [draft, setDraft] = useState(range);
  const data = useLoad(() => call('occupancyHistory', { query: range }), [range.from, range.to]);
  const items = data.data?.items ?? [];
  return (
    <section aria-labelledby="history">
      <h2 id="history">{st.historyTitle}</h2>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <div class="field">
          <label for="from">{st.from}</label>
          <input id="from" type="date" value={draft.from} max={draft.to} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="to">{st.to}</label>
          <input id="to" type="date" value={draft.to} min={draft.from} max={today} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        </div>
        <button type="submit" class="primary">{st.show}</button>
      </form>
      <ErrorNotice error={data.error} />
      {data.loading && <Loading />}
      {!data.loading && !data.error && items.length === 0 && <p class="notice">{st.noHistory}</p>}
      {items.length > 0 && (
        <>
          <Chart kind="lines" label={st.historyChart} categories={items.map((p) => p.date)} series={[{ name: st.occupied, data: items.map((p) => p.occupied) }, { name: st.vacant, data: items.map((p) => p.vacant) }]} testId="chart-history" />
          <details>
            <summary>{st.historyTitle}（{items.length}）</summary>
            <div class="table-wrap">
              <table class="data" data-testid="table-history">
                <caption class="sr-only">{st.historyTitle}</caption>
                <thead><tr><th scope="col">{st.date}</th><th scope="col">{st.beds}</th><th scope="col">{st.occupied}</th><th scope="col">{st.vacant}</th><th scope="col">{st.occupancyRate}</th></tr></thead>
                <tbody>
                  {items.map((p) => (
                    <tr key={p.date}><th scope="row">{p.date}</th><td>{p.beds}</td><td>{p.occupied}</td><td>{p.vacant}</td><td>{percent(p.occupancyRate)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function Ranked(props: { items: Answer<'vacancies'>['items']; names: Map<string, string> }) {
  return (
    <section aria-labelledby="ranked">
      <h2 id="ranked">{st.rankTitle}</h2>
      {props.items.length === 0 ? (
        <p class="notice">{st.noVacancies}</p>
      ) : (
        <div class="table-wrap">
          <table class="data" data-testid="table-ranked">
            <caption class="sr-only">{st.rankTitle}</caption>
            <thead><tr><th scope="col">{st.institution}</th><th scope="col">{st.township}</th><th scope="col">{st.kind}</th><th scope="col">{st.vacant}</th><th scope="col">{st.manageBeds}</th></tr></thead>
            <tbody>
              {props.items.map((i) => (
                <tr key={i.institutionId}>
                  <th scope="row">{i.name}{i.stale && <span class="stale">{st.stale}</span>}</th>
                  <td>{props.names.get(i.township) ?? i.township}</td>
                  <td>{institutionKindLabels[i.kind] ?? i.kind}</td>
                  <td>{i.vacant}</td>
                  <td><a href={`/staff/beds/${encodeURIComponent(i.institutionId)}`}>{st.manageBeds}<span class="sr-only">：{i.name}</span></a></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
