import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventTypes } from '../../shared/schemas/events.js';
import { routeList } from '../../shared/routes/index.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every event type the platform receives', () => {
    expect(eventTypes.filter((t) => !readme.includes(`| \`${t}\` |`))).toEqual([]);
  });

  it('states the number of routes the authorization matrix covers', () => {
    expect(readme).toContain(`every route (${routeList.length})`);
  });
});
