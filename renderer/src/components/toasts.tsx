import { createContext, useCallback, useContext, useState } from 'react';
import type { ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { CheckIcon, AlertIcon } from './icons.tsx';

interface Toast {
  id: number;
  tone: 'good' | 'bad';
  text: string;
}

const ToastContext = createContext<(text: string, tone?: Toast['tone']) => void>(() => {});

let nextId = 1;

/** Short confirmations ("Combo "fast" is active") announced to screen readers and gone after a few seconds. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((text: string, tone: Toast['tone'] = 'good') => {
    const id = nextId++;
    setToasts((current) => [...current.slice(-1), { id, tone, text }]);
    setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), 4_000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      {createPortal(
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            {toast.tone === 'good' ? <CheckIcon /> : <AlertIcon />}
            <span>{toast.text}</span>
          </div>
        ))}
      </div>,
      document.body,
      )}
    </ToastContext.Provider>
  );
}

export function useToast(): (text: string, tone?: Toast['tone']) => void {
  return useContext(ToastContext);
}
