import { AlertIcon } from '../../components/icons.tsx';
import { Notice } from '../../components/states.tsx';

/**
 * Said before any account sign-in option (docs/wire-formats.md, vendor terms): several vendors allow their subscription sign-in only in
 * their own apps, and accounts used elsewhere have been suspended. Switchyard offers no sign-in flow yet; when one
 * comes, it appears below this warning, never above it.
 */
export function SignInWarning() {
  return (
    <Notice tone="warn" icon={<AlertIcon />} title="Why there is no “Sign in with your account”">
      Some providers allow signing in with a subscription account (Claude Pro or Max, Gemini CLI’s Google login,
      Antigravity) only in their own apps. Using that sign-in through another tool breaks their terms and has got
      accounts suspended. API keys are made for tools like Switchyard, so they are the way in here.
    </Notice>
  );
}
