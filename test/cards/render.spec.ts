import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { renderCard } from '../../src/cards/render';

describe('card rendering', () => {
  it('finds the templates whatever the working directory', () => {
    const before = process.cwd();
    process.chdir(tmpdir());
    try {
      assert.equal(renderCard('notice', { title: 'Hello', text: '', style: 'default' }).version, '1.5');
    } finally {
      process.chdir(before);
    }
  });

  it('returns an independent object each time', () => {
    const first = renderCard('notice', { title: 'One', text: '', style: 'default' });
    first.body.length = 0;
    const second = renderCard('notice', { title: 'One', text: '', style: 'default' });
    assert.equal(second.body.length, 1);
  });
});
