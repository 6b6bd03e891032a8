import { formatHash, VIEWS, type ViewId } from '../routes';

export function NavBar({ active }: { active: ViewId }) {
  return (
    <nav className="nav" aria-label="Views">
      {VIEWS.map((v) => (
        <a key={v.id} href={formatHash(v.id)} className={v.id === active ? 'active' : ''} aria-current={v.id === active ? 'page' : undefined}>
          {v.title}
        </a>
      ))}
    </nav>
  );
}
