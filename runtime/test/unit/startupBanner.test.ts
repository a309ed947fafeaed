import { expect, it } from 'vitest';
import { appUrlInBanner, startupBanner } from '../../src/startupBanner';

it('the URL the banner prints is the one read back from the output, and nothing before it is printed', () => {
  const app = {
    url: 'http://127.0.0.1:41234',
    graphApi: null,
    temporalAddress: '127.0.0.1:7233',
    temporalUiUrl: null,
  };
  const output = `{"level":30,"msg":"seeded the demo workspace"}\n${startupBanner(app, true)}`;
  expect(appUrlInBanner(output)).toBe('http://127.0.0.1:41234');
  expect(appUrlInBanner(output.slice(0, output.indexOf('App:')))).toBeNull();
});
