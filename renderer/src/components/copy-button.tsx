import { useState } from 'react';
import { Button } from './button.tsx';
import { CheckIcon, CopyIcon } from './icons.tsx';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1_500);
    } catch {
      // Clipboard access can be refused (http pages, permissions); the text is on screen to select by hand.
    }
  };
  return (
    <Button size="small" variant="ghost" icon={copied ? <CheckIcon /> : <CopyIcon />} onClick={copy} aria-live="polite">
      {copied ? 'Copied' : label}
    </Button>
  );
}
