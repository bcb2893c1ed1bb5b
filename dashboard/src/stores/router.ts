import { create } from 'zustand';

/** Client-side routes on the History API; the gateway answers index.html for any of them. */
interface RouterState {
  path: string;
  search: string;
  navigate: (to: string, options?: { replace?: boolean }) => void;
  sync: () => void;
}

export const useRouter = create<RouterState>((set) => ({
  path: window.location.pathname,
  search: window.location.search,
  navigate: (to, options) => {
    if (options?.replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    set({ path: window.location.pathname, search: window.location.search });
  },
  sync: () => set({ path: window.location.pathname, search: window.location.search }),
}));

window.addEventListener('popstate', () => useRouter.getState().sync());

export function currentLocation(): string {
  const { path, search } = useRouter.getState();
  return path + search;
}
