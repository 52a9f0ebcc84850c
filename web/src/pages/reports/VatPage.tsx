// The monthly VAT return: per station the standard-rated sales, their taxable value, each tax,
// the exempt (fuel) sales and the total, with the API's totals; CSV, XLSX, PDF.
import { Card } from '../../components/Page';
import { formatDate, formatNumber } from '../../lib/format';
import { formatMoney } from './reportUtil';
import { MonthReturn } from './MonthReturn';
import type { ReportFilter } from './ReportsSection';
import type { VatFigures, VatReturn } from './types';
import { ScrollRegion } from '../pricing/ScrollRegion';

export function VatPage({ filter }: { filter: ReportFilter }) {
  return (
    <MonthReturn<VatReturn>
      name="vat-return"
      path="/api/v1/tax/vat-return"
      what="the VAT return"
      filter={filter}
      isEmpty={(r) => r.stations.length === 0}
      empty={`No sales in ${filter.month}.`}
      loadingLabel="Computing the VAT return…"
    >
      {(r) => {
        const cells = (f: VatFigures) => (
          <>
            <td className="num">{formatNumber(f.standard_rated.lines)}</td>
            <td className="num">{formatMoney(f.standard_rated.amount)}</td>
            <td className="num">{formatMoney(f.standard_rated.taxable_value)}</td>
            {r.taxes.map((t) => (
              <td key={t.code} className="num">
                {formatMoney(f.standard_rated.taxes[t.code] ?? '0.00')}
              </td>
            ))}
            <td className="num">{formatMoney(f.standard_rated.total_tax)}</td>
            <td className="num">{formatMoney(f.exempt.amount)}</td>
            <td className="num">{formatMoney(f.total_sales)}</td>
          </>
        );
        return (
          <Card title={`VAT return ${formatDate(r.from)} – ${formatDate(r.to)}`}>
            <p className="muted">
              Amounts in GH₵. Standard-rated: shop and lubricant sales, tax-inclusive, net of voids and refunds. Exempt: fuel. Due by the last working day of the following month.
            </p>
            <ScrollRegion label="VAT return by station">
              <table data-testid="vat-table" className="report-table">
                <caption className="sr-only">VAT return by station</caption>
                <thead>
                  <tr>
                    <th scope="col">Station</th>
                    <th scope="col" className="num">Lines</th>
                    <th scope="col" className="num">Standard-rated</th>
                    <th scope="col" className="num">Taxable value</th>
                    {r.taxes.map((t) => (
                      <th key={t.code} scope="col" className="num" title={t.name}>
                        {t.code}
                      </th>
                    ))}
                    <th scope="col" className="num">Total tax</th>
                    <th scope="col" className="num">Exempt (fuel)</th>
                    <th scope="col" className="num">Total sales</th>
                  </tr>
                </thead>
                <tbody>
                  {r.stations.map((s) => (
                    <tr key={s.station_id}>
                      <td>
                        <span title={s.station_name}>{s.station_code}</span>
                        <div className="muted small">{s.station_name}</div>
                      </td>
                      {cells(s)}
                    </tr>
                  ))}
                </tbody>
                <tfoot data-testid="vat-totals">
                  <tr>
                    <td>Total</td>
                    {cells(r.totals)}
                  </tr>
                </tfoot>
              </table>
            </ScrollRegion>
          </Card>
        );
      }}
    </MonthReturn>
  );
}
