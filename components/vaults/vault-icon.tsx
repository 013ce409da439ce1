/** Outline icon of the vaults pages (decorative: callers hide it from assistive technology). */
export function VaultIcon() {
  return (
    <svg viewBox="0 0 24 24" className="size-8" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="3" y="4" width="18" height="15" rx="2.5" />
      <circle cx="12" cy="11.5" r="3.5" />
      <path d="M12 8v1.5M12 13.5V15M6 19v1.5M18 19v1.5" strokeLinecap="round" />
    </svg>
  );
}
