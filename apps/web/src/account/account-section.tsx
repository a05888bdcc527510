import { useId, type ReactNode } from 'react';
import './account.css';

export function AccountSection({ title, intro, children }: { title: string; intro: ReactNode; children: ReactNode }) {
  const titleId = useId();
  return (
    <section className="card account-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <p className="section-intro">{intro}</p>
      {children}
    </section>
  );
}
