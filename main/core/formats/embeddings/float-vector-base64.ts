// OpenAI's `encoding_format: "base64"`: the vector as little-endian float32 bytes, base64 encoded (what the openai
// SDKs decode). Switchyard encodes it itself when the provider answered with numbers (Gemini).

export function vectorToBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let index = 0; index < vector.length; index++) bytes.writeFloatLE(vector[index]!, index * 4);
  return bytes.toString('base64');
}

export function vectorFromBase64(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const vector: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) vector.push(bytes.readFloatLE(offset));
  return vector;
}
