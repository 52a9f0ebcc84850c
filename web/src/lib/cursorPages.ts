// The pages of a cursor-paged API list (GET …?cursor=&limit=): the cursor of each page seen, the
// page shown and the page size. `reset` goes back to the first page (after new filters);
// `paging(nextCursor)` is DataTable's serverPaging for the page shown.
import { useState } from 'react';
import type { ServerPaging } from '../components/DataTable';

export function useCursorPages(initialSize = 25) {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(initialSize);
  const reset = () => {
    setCursors([null]);
    setPage(0);
  };
  const paging = (nextCursor: string | null | undefined): ServerPaging => ({
    page,
    hasNext: !!nextCursor,
    pageSize,
    onPageSize: (n) => {
      setPageSize(n);
      reset();
    },
    onNext: () => {
      if (!nextCursor) return;
      setCursors((c) => [...c.slice(0, page + 1), nextCursor]);
      setPage(page + 1);
    },
    onPrevious: () => setPage(Math.max(0, page - 1)),
  });
  return { page, pageSize, cursor: cursors[page], reset, paging };
}
