// Payables aging: what the company owes each supplier (BDCs, transporters, others) by days past
// due, as of a date.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { Card } from '../../components/Page';
import { QueryView } from '../../components/States';
import { formatDate } from '../../lib/format';
import { AgingTable } from './Aging';
import { AsOfControl, ExportButtons, useAsOf } from './common';
import type { Aging } from './types';

export function PayablesPage() {
  const [asOf, setAsOf] = useAsOf();
  const aging = useQuery({
    queryKey: ['finance', 'payables-aging', asOf],
    queryFn: () => api.get<Aging>('/api/v1/payables/aging', { as_of: asOf }),
  });
  return (
    <Card title="Payables aging" actions={<ExportButtons path="/api/v1/payables/aging" query={{ as_of: asOf }} name={`payables-aging-${asOf}`} />}>
      <div className="fin-controls">
        <AsOfControl value={asOf} onChange={setAsOf} error={aging.error} />
      </div>
      <QueryView query={aging} isEmpty={(a) => a.rows.length === 0} empty={`No supplier invoice is outstanding as of ${formatDate(asOf)}.`} loadingLabel="Loading the aging…">
        {(a) => <AgingTable aging={a} party="Supplier" />}
      </QueryView>
    </Card>
  );
}
