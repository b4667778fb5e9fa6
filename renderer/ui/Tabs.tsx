// Tabs as the WAI-ARIA pattern has them: a tablist of buttons (arrow keys, Home and End move and
// select) and one tabpanel labelled by the selected tab. With a single tab, just the panel.
import { useId, type KeyboardEvent, type ReactNode } from 'react';

export interface TabsProps {
  /** The tablist's accessible name. */
  label: string;
  tabs: readonly { id: string; label: ReactNode }[];
  active: string;
  onChange: (id: string) => void;
  children: ReactNode;
}

export function Tabs({ label, tabs, active, onChange, children }: TabsProps) {
  const base = useId();
  const tabId = (id: string) => `${base}-tab-${id}`;
  const panelId = `${base}-panel`;
  const onKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (event.key !== 'Home' && event.key !== 'End' && delta === 0) return;
    event.preventDefault();
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : (index + delta + tabs.length) % tabs.length;
    const id = tabs[next]!.id;
    onChange(id);
    document.getElementById(tabId(id))?.focus();
  };
  if (tabs.length <= 1) return <div>{children}</div>;
  return (
    <>
      <div role="tablist" aria-label={label} className="tablist">
        {tabs.map((tab, i) => (
          <button
            key={tab.id}
            id={tabId(tab.id)}
            type="button"
            role="tab"
            aria-selected={tab.id === active}
            aria-controls={panelId}
            tabIndex={tab.id === active ? 0 : -1}
            className="tab-button"
            onClick={() => onChange(tab.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div id={panelId} role="tabpanel" aria-labelledby={tabId(active)}>
        {children}
      </div>
    </>
  );
}
