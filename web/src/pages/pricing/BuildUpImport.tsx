// Loading NPA's figures for a window: the build-up CSV (or the XLSX the export writes), all or
// nothing; every refused cell is listed by row and column as the API names it.
import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface ImportResult {
  imported: number;
  products: string[];
  superseded: Array<{ id: string; valid_to: string }>;
}

export function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.xlsx')) return XLSX;
  return null;
}

export function BuildUpImport() {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [supersede, setSupersede] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const start = () => {
    setResult(null);
    if (!file) return setFileError('Choose the CSV or XLSX file.');
    if (!contentTypeOf(file)) return setFileError('The file must be a .csv or .xlsx.');
    setFileError(null);
    setConfirming(true);
  };
  return (
    <details className="import-box">
      <summary>Import NPA's figures (CSV or XLSX)</summary>
      <p className="field-hint">
        Columns: product, component_code, name, kind, subtotal, position, amount (pesewas, 4 decimals), valid_from, valid_to, in_floor, gra_levy_code, source_ref — the layout
        the CSV export writes. All rows are taken or none.
      </p>
      <div className="form-row filter-row">
        <div className={`field${fileError ? ' field-invalid' : ''}`}>
          <label htmlFor={`${id}-file`}>Build-up file</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,.xlsx,text/csv"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? `${id}-file-error` : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(null);
            }}
          />
          {fileError && (
            <div id={`${id}-file-error`} className="field-error" role="alert">
              {fileError}
            </div>
          )}
        </div>
        <div className="field checkbox-field">
          <label>
            <input type="checkbox" checked={supersede} onChange={(e) => setSupersede(e.target.checked)} /> End the open-ended figures these rows follow
          </label>
        </div>
        <div className="filter-action">
          <button type="button" className="btn btn-primary" onClick={start}>
            Import
          </button>
        </div>
      </div>
      {result && (
        <div className="form-success" role="status">
          Imported {result.imported} component{result.imported === 1 ? '' : 's'} for {result.products.join(', ')}
          {result.superseded.length ? `; ${result.superseded.length} earlier row(s) ended` : ''}.
        </div>
      )}
      {confirming && file && (
        <ConfirmDialog
          closeOnSuccess
          reasonMissingMessage="Give a reason: it is kept with the list."
          title={`Import ${file.name}?`}
          confirmLabel="Import"
          onClose={() => setConfirming(false)}
          onConfirm={async () => {
            const r = await api.upload<ImportResult>('/api/v1/pricing/build-up/import', file, contentTypeOf(file)!, supersede ? { supersede: true } : undefined);
            setResult(r);
            await queryClient.invalidateQueries({ queryKey: ['pricing', 'build-up'] });
          }}
        >
          <p>
            Every row is checked; if any is wrong nothing is imported and each error is listed by row and column.
            {supersede ? ' Open-ended rows of the same component starting earlier are ended the day before each new row starts.' : ''}
          </p>
        </ConfirmDialog>
      )}
    </details>
  );
}
