import { expect, it } from 'vitest';
import { startEngine } from '../../helpers/start-engine.ts';

it('refuses to start again after stop (its connection pools are closed) and says what to do instead', async () => {
  const running = await startEngine({});
  await running.stop();
  await expect(running.engine.start({ host: '127.0.0.1', port: 0 })).rejects.toThrow(/stopped; create a new one/);
  await expect(running.engine.start({ host: '127.0.0.1', port: 0 })).rejects.toThrow(/stopped/);
});
