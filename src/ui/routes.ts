/** The views of SPEC §5 (and Storage), addressed by the URL hash so a view survives reload and can be shared. */
export const VIEWS = [
  { id: 'graph', title: 'Graph' },
  { id: 'questions', title: 'Questions' },
  { id: 'trajectories', title: 'Trajectories' },
  { id: 'train', title: 'Train' },
  { id: 'learn', title: 'Learn GRPO' },
  { id: 'bench', title: 'Bench' },
  { id: 'storage', title: 'Storage' },
  { id: 'about', title: 'About' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export interface Route {
  view: ViewId;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const view = (VIEWS.find((v) => v.id === path)?.id ?? 'graph') as ViewId;
  return { view, params: new URLSearchParams(query) };
}

export function formatHash(view: ViewId, params?: Record<string, string>): string {
  const q = params ? new URLSearchParams(params).toString() : '';
  return `#/${view}${q ? `?${q}` : ''}`;
}
