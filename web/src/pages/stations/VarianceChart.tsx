// The station's wet-stock variance over 30 days (book change − dip change, litres per day; a
// positive variance is a loss), a bar per day around a zero line, with the figures as a table.
import { Bar, BarChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDate, formatLitres } from '../../lib/format';
import type { VarianceDay } from './types';

export function VarianceChart({ days }: { days: VarianceDay[] }) {
  const judged = days.filter((d) => d.variance !== null);
  if (judged.length === 0) {
    return <p className="state state-empty">No day of the last 30 could be reconciled (a day needs an opening and a closing dip).</p>;
  }
  const data = days.map((d) => ({ date: d.date.slice(5), full: d.date, variance: d.variance === null ? null : Number(d.variance) }));
  return (
    <>
      <figure className="chart" aria-label="Variance in litres per day over the last 30 days">
        <ResponsiveContainer width="100%" height={240}>
          <BarChart data={data} margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="date" interval="preserveStartEnd" />
            <YAxis width={70} tickFormatter={(v: number) => v.toLocaleString('en-GB')} unit=" L" />
            <Tooltip labelFormatter={(_, p) => formatDate(p?.[0]?.payload?.full)} formatter={(v) => [formatLitres(Number(v).toFixed(3), 3), 'Variance']} />
            <ReferenceLine y={0} stroke="#1b1f23" strokeWidth={1.5} />
            <Bar dataKey="variance" name="Variance (L)" fill="#1f4e8c" />
          </BarChart>
        </ResponsiveContainer>
        <figcaption className="muted">Positive: the dips show less than the books (a loss); negative: a gain. Days without both dips have no bar.</figcaption>
      </figure>
      <details>
        <summary>The figures by day</summary>
        <div className="table-scroll" role="region" aria-label="Variance by day" tabIndex={0}>
          <table>
            <caption className="sr-only">Variance by day</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="num">Book change</th>
                <th scope="col" className="num">Dip change</th>
                <th scope="col" className="num">Variance</th>
                <th scope="col" className="num">% of sales</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{formatDate(d.date)}</td>
                  <td className="num">{d.book_change === null ? '—' : formatLitres(d.book_change, 3)}</td>
                  <td className="num">{d.dip_change === null ? '—' : formatLitres(d.dip_change, 3)}</td>
                  <td className="num">{d.variance === null ? 'not reconciled' : formatLitres(d.variance, 3)}</td>
                  <td className="num">{d.variance_percent === null ? '—' : `${d.variance_percent.replace(/^-/, '−')}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
