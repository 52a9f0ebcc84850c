// CSV / XLSX / PDF buttons for a report the API writes as a file (download() with the caller's token).
import { useState } from 'react';
import { download, type Query } from '../../api/client';
import { describeError } from '../../components/States';

export type FileFormat = 'csv' | 'xlsx' | 'pdf';
const FORMATS: FileFormat[] = ['csv', 'xlsx', 'pdf'];

export function DownloadButtons({
  path,
  query,
  what,
  fallbackName,
  disabled,
  label = 'Download',
}: {
  path: string;
  query: Query;
  what: string; // "NPA sales return 2026-11": read out with each button
  fallbackName: string;
  disabled?: boolean;
  label?: string;
}) {
  const [busy, setBusy] = useState<FileFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const get = async (format: FileFormat) => {
    setBusy(format);
    setError(null);
    setSaved(null);
    try {
      const name = await download(path, { ...query, format }, `${fallbackName}.${format}`);
      setSaved(name);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="download-buttons" role="group" aria-label={`Download ${what}`}>
      <span className="muted">{label}</span>
      {FORMATS.map((f) => (
        <button
          key={f}
          type="button"
          className="btn"
          disabled={disabled || busy !== null}
          aria-label={`Download ${what} as ${f.toUpperCase()}`}
          onClick={() => void get(f)}
        >
          {busy === f ? 'Preparing…' : f.toUpperCase()}
        </button>
      ))}
      <span aria-live="polite" className="download-status">
        {error ? (
          <span className="field-error" role="alert">
            Download failed: {error}
          </span>
        ) : saved ? (
          <span className="muted">Saved {saved}</span>
        ) : null}
      </span>
    </div>
  );
}
