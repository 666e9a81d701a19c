import { z } from 'zod';

// The page runs under a Content-Security-Policy without 'unsafe-eval'. zod would otherwise probe `new Function` to
// speed up object parsing, which the policy reports as a violation; the plain path is fast enough for this UI.
z.config({ jitless: true });
