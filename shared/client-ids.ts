/**
 * The tools Switchyard can point at itself (`switchyard clients`, the setup wizard): one list for the engine, the API
 * contract and the dashboard.
 */
export const configurableClientIds = ['claude-code', 'codex', 'gemini-cli'] as const;
export type ConfigurableClientId = (typeof configurableClientIds)[number];
