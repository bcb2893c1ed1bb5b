import { num } from './format';

/** Previous/next over numbered pages of a list: "Page 2 of 7 · 130 users". */
export function Pager({
  label,
  noun,
  page,
  total,
  pageSize,
  hasMore,
  onPage,
}: {
  label: string;
  noun: string;
  page: number;
  total: number;
  pageSize: number;
  hasMore: boolean;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages} · {num(total)} {noun}
      </span>
      <button type="button" disabled={!hasMore} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  );
}
