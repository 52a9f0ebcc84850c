// The console's table: TanStack Table with sorting (click or Enter on a header), a filter box,
// and paging. Rows come whole (client-side paging) or a page at a time from the API (pass
// `serverPaging` with the cursor controls).
import { useState, type ReactNode } from 'react';
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';

export interface ServerPaging {
  page: number; // 0-based
  hasNext: boolean;
  onNext: () => void;
  onPrevious: () => void;
  pageSize: number;
  onPageSize?: (size: number) => void;
}

interface Props<T> {
  data: T[];
  columns: ColumnDef<T, any>[];
  caption: string;
  filterPlaceholder?: string;
  pageSize?: number;
  serverPaging?: ServerPaging;
  empty?: ReactNode;
  getRowId?: (row: T) => string;
  initialSorting?: SortingState;
  toolbar?: ReactNode;
}

export function DataTable<T>({
  data,
  columns,
  caption,
  filterPlaceholder = 'Filter…',
  pageSize = 25,
  serverPaging,
  empty = 'No rows.',
  getRowId,
  initialSorting = [],
  toolbar,
}: Props<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const [globalFilter, setGlobalFilter] = useState('');
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    onGlobalFilterChange: setGlobalFilter,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getPaginationRowModel: serverPaging ? undefined : getPaginationRowModel(),
    manualPagination: !!serverPaging,
    initialState: { pagination: { pageSize, pageIndex: 0 } },
    getRowId: getRowId ? (row) => getRowId(row) : undefined,
  });
  const rows = table.getRowModel().rows;
  return (
    <div className="table-wrap">
      <div className="table-toolbar">
        <input
          type="search"
          aria-label={`Filter ${caption}`}
          placeholder={filterPlaceholder}
          value={globalFilter}
          onChange={(e) => setGlobalFilter(e.target.value)}
        />
        {toolbar}
      </div>
      <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const canSort = header.column.getCanSort();
                  const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? 'num' : undefined}
                      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button type="button" className="th-sort" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true">{sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}</span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="empty-cell">
                  {empty}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id}>
                  {row.getVisibleCells().map((cell) => {
                    const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                    return (
                      <td key={cell.id} className={numeric ? 'num' : undefined}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={`${caption} pages`}>
        {serverPaging ? (
          <>
            <button type="button" className="btn" onClick={serverPaging.onPrevious} disabled={serverPaging.page === 0}>
              Previous
            </button>
            <span>Page {serverPaging.page + 1}</span>
            <button type="button" className="btn" onClick={serverPaging.onNext} disabled={!serverPaging.hasNext}>
              Next
            </button>
            {serverPaging.onPageSize && (
              <label>
                Rows{' '}
                <select value={serverPaging.pageSize} onChange={(e) => serverPaging.onPageSize?.(Number(e.target.value))}>
                  {[25, 50, 100, 200].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        ) : (
          <>
            <button type="button" className="btn" onClick={() => table.previousPage()} disabled={!table.getCanPreviousPage()}>
              Previous
            </button>
            <span>
              Page {table.getState().pagination.pageIndex + 1} of {Math.max(table.getPageCount(), 1)} ·{' '}
              {table.getFilteredRowModel().rows.length} rows
            </span>
            <button type="button" className="btn" onClick={() => table.nextPage()} disabled={!table.getCanNextPage()}>
              Next
            </button>
          </>
        )}
      </nav>
    </div>
  );
}
