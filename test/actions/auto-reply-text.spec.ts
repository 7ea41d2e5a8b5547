import assert from 'node:assert/strict';
import { autoReplyHtml, autoReplyText, saysText } from '../../src/actions/auto-reply-text';

describe('auto-reply text (what a reader sees in the HTML Exchange keeps)', () => {
  it('reads the text inside the wrapping Exchange adds to plain text', () => {
    assert.equal(autoReplyText('<html>\n<body>\nI have left. Ask Alex.\n</body>\n</html>\n'), 'I have left. Ask Alex.');
  });

  it('drops head, style, comments and tags; block edges and line breaks read as a space', () => {
    const html = '<html><head><title>OOF</title><style>p{margin:0}</style></head><body><!-- [if mso] --><div>I have left.</div><p>Ask <b>Alex</b><br>Wilber.</p></body></html>';
    assert.equal(autoReplyText(html), 'I have left. Ask Alex Wilber.');
  });

  it('decodes named and numeric entities, and treats non-breaking spaces as spaces', () => {
    assert.equal(autoReplyText('Tom &amp; Jerry&nbsp;&lt;tj@contoso.com&gt; &#8217;s &#x2014; &quot;ok&quot;'), 'Tom & Jerry <tj@contoso.com> \u2019s \u2014 "ok"');
  });

  it('keeps an unknown entity or a bare < as written', () => {
    assert.equal(autoReplyText('a &bogus; b < c'), 'a &bogus; b < c');
  });

  it('round-trips typed text through the HTML the action sends', () => {
    const typed = 'Write to <alexw@contoso.com> & Megan.\n\nThanks,   Jane';
    assert.equal(autoReplyHtml(typed), 'Write to &lt;alexw@contoso.com&gt; &amp; Megan.<br>\n<br>\nThanks,   Jane');
    assert.ok(saysText(`<html>\n<body>\n${autoReplyHtml(typed)}\n</body>\n</html>\n`, typed));
  });

  it('tells different texts apart, and an empty reply from any text', () => {
    assert.equal(saysText('<html><body>Ask Alex.</body></html>', 'Ask Megan.'), false);
    assert.equal(saysText('', 'Ask Alex.'), false);
    assert.equal(saysText(null, 'Ask Alex.'), false);
  });
});
