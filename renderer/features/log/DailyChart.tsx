// Blocks and mutations per day (F20) as plain SVG bars; the same figures as a table for screen
// readers.
import { useTranslation } from 'react-i18next';
import type { DayActivity } from '../../state/log';
import { formatDate, formatNumber } from '../../util/format';

const HEIGHT = 120;
const BAR_GAP = 2;

export function DailyChart({ days }: { days: readonly DayActivity[] }) {
  const { t, i18n } = useTranslation();
  if (days.length === 0) return <p className="muted">{t('log.chartEmpty')}</p>;
  const max = Math.max(1, ...days.map((d) => Math.max(d.blocks, d.mutations)));
  const slot = 24;
  const bar = (slot - BAR_GAP * 3) / 2;
  const width = days.length * slot;
  const labelEvery = Math.max(1, Math.ceil(days.length / 10));
  const totals = days.reduce((acc, d) => ({ blocks: acc.blocks + d.blocks, mutations: acc.mutations + d.mutations }), { blocks: 0, mutations: 0 });
  const summary = t('log.chartSummary', { days: days.length, blocks: formatNumber(totals.blocks, i18n.language), mutations: formatNumber(totals.mutations, i18n.language) });
  return (
    <figure className="chart">
      <div className="chart-legend" aria-hidden="true">
        <span className="legend legend-blocks">{t('log.blocks')}</span>
        <span className="legend legend-mutations">{t('log.mutations')}</span>
        <span className="muted small">{t('log.chartMax', { value: formatNumber(max, i18n.language) })}</span>
      </div>
      <svg viewBox={`0 0 ${width} ${HEIGHT + 18}`} preserveAspectRatio="none" className="chart-svg" role="img" aria-label={summary}>
        <line x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} className="chart-axis" />
        {days.map((d, i) => {
          const hb = (d.blocks / max) * HEIGHT;
          const hm = (d.mutations / max) * HEIGHT;
          const x = i * slot + BAR_GAP;
          return (
            <g key={d.day}>
              <rect x={x} y={HEIGHT - hb} width={bar} height={hb} className="bar-blocks">
                <title>{`${formatDate(d.start, i18n.language)}: ${t('log.blocks')} ${d.blocks}`}</title>
              </rect>
              <rect x={x + bar + BAR_GAP} y={HEIGHT - hm} width={bar} height={hm} className="bar-mutations">
                <title>{`${formatDate(d.start, i18n.language)}: ${t('log.mutations')} ${d.mutations}`}</title>
              </rect>
              {i % labelEvery === 0 ? (
                <text x={i * slot + slot / 2} y={HEIGHT + 13} className="chart-label" textAnchor="middle">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">{summary}</figcaption>
      <table className="visually-hidden">
        <caption>{t('log.chartTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('log.day')}</th>
            <th scope="col">{t('log.blocks')}</th>
            <th scope="col">{t('log.mutations')}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr key={d.day}>
              <th scope="row">{formatDate(d.start, i18n.language)}</th>
              <td>{d.blocks}</td>
              <td>{d.mutations}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
