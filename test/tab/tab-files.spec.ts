import assert from 'node:assert/strict';
import restify from 'restify';
import { listen } from '../../src/server';
import { registerTabFiles, TAB_CSP } from '../../src/tab/tab-files';

describe('the tab files under /tab/', () => {
  let server: restify.Server;
  let url: string;

  before(async () => {
    server = restify.createServer();
    registerTabFiles(server);
    url = await listen(server, 0, '127.0.0.1');
  });
  after(() => server.close());

  it('serves the listed files, index.html for the folder itself', async () => {
    for (const [name, type] of [['index.html', 'text/html'], ['', 'text/html'], ['tab.js', 'text/javascript'], ['vendor/MicrosoftTeams.min.js', 'text/javascript']]) {
      const res = await fetch(`${url}/tab/${name}`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get('content-type') ?? '', new RegExp(type), name);
      assert.equal(res.headers.get('content-security-policy'), TAB_CSP);
      await res.arrayBuffer();
    }
  });

  it('answers 404, not a 500, for names that are members of every JavaScript object, or not files at all', async () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'nothing.js', '..%2Fpackage.json', '%E0%A4%A', 'vendor', 'tab.js%00'];
    for (const name of names) {
      const res = await fetch(`${url}/tab/${name}`);
      assert.equal(res.status, 404, name);
      await res.arrayBuffer();
    }
  });
});
