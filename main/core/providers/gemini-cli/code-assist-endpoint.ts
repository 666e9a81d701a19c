// Where Gemini CLI's Code Assist backend lives (google-gemini/gemini-cli packages/core/src/code_assist/server.ts):
// every method is POST {origin}/v1internal:{method}; long-running operations are GET {origin}/v1internal/{name}.
export const codeAssistOrigin = 'https://cloudcode-pa.googleapis.com';
export const codeAssistVersion = 'v1internal';
export const codeAssistBaseUrl = `${codeAssistOrigin}/${codeAssistVersion}`;
