import { useState } from 'react';

/** Recovery codes, shown once: to copy or download now [M-RECOVERY]. */
export function RecoveryCodesList({ codes }: { codes: string[] }) {
  const [copied, setCopied] = useState(false);
  const text = `${codes.join('\n')}\n`;
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <div className="recovery-codes">
      <p role="status">Save these recovery codes somewhere safe. Each works once, and they will not be shown again.</p>
      <ul aria-label="Recovery codes" className="recovery-code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button
          type="button"
          className="button-secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(text);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy codes'}
        </button>
        <a className="button button-secondary" href={download} download="sessionkeep-recovery-codes.txt">
          Download codes
        </a>
      </div>
    </div>
  );
}
