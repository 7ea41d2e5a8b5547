import assert from 'node:assert/strict';
import { AnswersFirst } from '../src/answers-first';

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('AnswersFirst: background work waits while requests are answered', () => {
  it('lets background work go at once when nothing is being answered', async () => {
    assert.equal(await settled(new AnswersFirst(1000).quiet()), true);
  });

  it('holds background work until the last answer in progress is given, then lets all of it go', async () => {
    const gate = new AnswersFirst(10_000);
    let finishFirst!: () => void;
    let finishSecond!: () => void;
    const first = gate.answer(() => new Promise<void>((r) => (finishFirst = r)));
    const second = gate.answer(() => new Promise<void>((r) => (finishSecond = r)));
    const edits = [gate.quiet(), gate.quiet()];
    finishFirst();
    await first;
    assert.equal(await settled(Promise.all(edits)), false, 'one answer is still being worked on');
    finishSecond();
    await second;
    assert.equal(await settled(Promise.all(edits)), true);
  });

  it('an answer that fails still counts as given', async () => {
    const gate = new AnswersFirst(10_000);
    await assert.rejects(gate.answer(() => Promise.reject(new Error('turn failed'))));
    assert.equal(await settled(gate.quiet()), true);
  });

  it('lets background work go after the longest delay even while answers keep coming', async () => {
    const gate = new AnswersFirst(50);
    let finish!: () => void;
    const answering = gate.answer(() => new Promise<void>((r) => (finish = r)));
    const started = Date.now();
    await gate.quiet();
    assert.ok(Date.now() - started >= 45, 'it waited for the answer first');
    finish();
    await answering;
  });
});
