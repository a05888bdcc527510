import type { ReactNode } from 'react';
import './layout.css';

/** The centred card around the signed-out screens. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <p className="brand">Sessionkeep</p>
      <section className="card auth-card" aria-labelledby="auth-card-title">
        <h1 id="auth-card-title">{title}</h1>
        {children}
      </section>
    </main>
  );
}
