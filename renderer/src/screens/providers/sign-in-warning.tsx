import { notOffered } from '../../../../shared/accounts/account-risk.ts';
import { InfoIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';

/**
 * Beside the API-key choice: which subscriptions can be signed in (GitHub Copilot, ChatGPT, Kiro, Gemini Code Assist) and which are left out on
 * purpose, with the reason from the one home of that text (shared/accounts/account-risk.ts).
 */
export function SignInWarning() {
  return (
    <Notice tone="info" icon={<InfoIcon />} title="Signing in with a subscription instead">
      <p>
        Pick <strong>GitHub Copilot</strong>, <strong>ChatGPT (Codex)</strong>, <strong>Kiro</strong> or <strong>Gemini Code Assist</strong> above to sign in with your plan instead of a key; Switchyard first tells you what the vendor’s terms say about it.
      </p>
      <ul className="small">
        {notOffered.map((entry) => (
          <li key={entry.product}>
            <strong>{entry.product}</strong> is not offered: {entry.reason}
          </li>
        ))}
      </ul>
    </Notice>
  );
}
