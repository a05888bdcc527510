/** Outline icons drawn inline, so the strict CSP needs no image source beyond 'self'. */
export function DeviceIcon({ deviceType }: { deviceType: string | null }) {
  return (
    <svg className="device-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {deviceType === 'mobile' ? (
        <>
          <rect x="7" y="2.5" width="10" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </>
      ) : deviceType === 'tablet' ? (
        <>
          <rect x="4.5" y="2.5" width="15" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </>
      ) : (
        <>
          <rect x="3" y="4" width="18" height="12" rx="1.5" />
          <path d="M8.5 20h7M12 16v4" />
        </>
      )}
    </svg>
  );
}
