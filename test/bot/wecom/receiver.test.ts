import { describe, expect, it } from 'vitest';
import { parse as parseQuery } from 'node:querystring';
import { openCallback, verifyUrl, type CallbackResult, type VerifyUrlResult } from '../../../bot/wecom/receiver.ts';
import type { MediaSource } from '../../../bot/wecom/decode.ts';
import { signedCallback } from '../../fakes/fake-wecom.ts';
import { config, fixture, keysAt, layout, NOW, rawEncrypt, signedFixture, signedRaw, VECTOR, vectorBody } from './support.ts';

const vectorConfig = config;

function message(r: CallbackResult) {
  if (!r.ok || r.outcome !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r)}`);
  return r.message;
}
const rejection = (r: VerifyUrlResult | CallbackResult) => (r.ok ? 'accepted' : `${r.status} ${r.reason}`);

describe('GET URL verification', () => {
  it('answers the official GET vector with 1616140317555161061', () => {
    const r = verifyUrl(parseQuery(VECTOR.get.search), vectorConfig, VECTOR.get.now);
    expect(r).toEqual({ ok: true, echo: VECTOR.get.expected });
  });

  it('still verifies when a decoder turned the + of echostr into spaces', () => {
    const query = { ...parseQuery(VECTOR.get.search), echostr: VECTOR.get.echostr.replace(/\+/g, ' ') };
    expect(verifyUrl(query, vectorConfig, VECTOR.get.now)).toEqual({ ok: true, echo: VECTOR.get.expected });
  });

  it('refuses a wrong signature with 401 before decrypting', () => {
    const query = { ...parseQuery(VECTOR.get.search), msg_signature: '0'.repeat(40) };
    expect(rejection(verifyUrl(query, vectorConfig, VECTOR.get.now))).toBe('401 BAD_SIGNATURE');
  });

  it('refuses a stale timestamp, and accepts it when the window is disabled', () => {
    const later = new Date(VECTOR.get.now.getTime() + 301_000);
    expect(rejection(verifyUrl(parseQuery(VECTOR.get.search), vectorConfig, later))).toBe('401 STALE_TIMESTAMP');
    expect(verifyUrl(parseQuery(VECTOR.get.search), { ...vectorConfig, timestampSkewS: 0 }, later).ok).toBe(true);
  });

  it('refuses a missing or repeated parameter', () => {
    const { echostr: _, ...rest } = parseQuery(VECTOR.get.search);
    expect(rejection(verifyUrl(rest, vectorConfig, VECTOR.get.now))).toBe('401 MISSING_PARAMS');
    expect(rejection(verifyUrl({ ...rest, echostr: [VECTOR.get.echostr, 'x'] }, vectorConfig, VECTOR.get.now))).toBe('401 MISSING_PARAMS');
  });
});

describe('POST callback: the official vector', () => {
  it('decodes vector A into a text message keyed by MsgId', () => {
    const m = message(openCallback(VECTOR.post.query, vectorBody(), vectorConfig, VECTOR.post.now));
    expect(m).toMatchObject({
      kind: 'text',
      text: 'hello',
      mentionedBot: true,
      eventKey: 'WECOM:4561255354251345929',
      sender: { platform: 'WECOM', userId: 'mycreate' },
      chat: { platform: 'WECOM', kind: 'direct', chatId: 'mycreate' },
      receivedAt: VECTOR.post.now,
    });
  });

  it('accepts the body as bytes too', () => {
    expect(openCallback(VECTOR.post.query, Buffer.from(vectorBody()), vectorConfig, VECTOR.post.now).ok).toBe(true);
  });
});

describe('POST callback: bad input changes nothing and says why', () => {
  const ok = signedFixture('text-command.xml');

  it('wrong signature → 401, and a garbage Encrypt is never decrypted', () => {
    expect(rejection(openCallback({ ...ok.query, msg_signature: 'f'.repeat(40) }, ok.body, config, NOW))).toBe('401 BAD_SIGNATURE');
    expect(rejection(openCallback(ok.query, vectorBody('not*base64'), config, NOW))).toBe('401 BAD_SIGNATURE');
  });

  it('stale and future timestamps → 401', () => {
    expect(rejection(openCallback(ok.query, ok.body, config, new Date(NOW.getTime() + 301_000)))).toBe('401 STALE_TIMESTAMP');
    expect(rejection(openCallback(ok.query, ok.body, config, new Date(NOW.getTime() - 301_000)))).toBe('401 STALE_TIMESTAMP');
    expect(openCallback(ok.query, ok.body, config, new Date(NOW.getTime() + 299_000)).ok).toBe(true);
  });

  it('a replayed message yields the same dedupe key, whatever the nonce and timestamp', () => {
    const again = signedCallback(fixture('text-command.xml'), keysAt(new Date(NOW.getTime() + 5_000)));
    const first = message(openCallback(ok.query, ok.body, config, NOW));
    const second = message(openCallback(again.query, again.body, config, NOW));
    const third = message(openCallback(ok.query, ok.body, config, NOW));
    expect(first.eventKey).toBe('WECOM:7453215869841234567');
    expect(second.eventKey).toBe(first.eventKey);
    expect(third.eventKey).toBe(first.eventKey);
  });

  it('wrong corp id → 403: in the ciphertext, the envelope or the inner message', () => {
    const foreign = signedCallback(fixture('text-command.xml'), keysAt(NOW, { corpId: 'wwforeign0000000' }));
    expect(rejection(openCallback(foreign.query, foreign.body.replace('wwforeign0000000', config.corpId), config, NOW))).toBe('403 WRONG_RECEIVE_ID');
    expect(rejection(openCallback(ok.query, ok.body.replace(config.corpId, 'wwforeign0000000'), config, NOW))).toBe('403 WRONG_CORP');
    const innerForeign = signedFixture('text-command.xml', { '<ToUserName><![CDATA[wx5823bf96d3bd56c7]]>': '<ToUserName><![CDATA[wwforeign]]>' });
    expect(rejection(openCallback(innerForeign.query, innerForeign.body, config, NOW))).toBe('403 WRONG_CORP');
  });

  it('truncated, non-XML and Encrypt-less bodies → 400', () => {
    expect(rejection(openCallback(ok.query, ok.body.slice(0, ok.body.length / 2), config, NOW))).toBe('400 NOT_XML');
    expect(rejection(openCallback(ok.query, 'hello', config, NOW))).toBe('400 NOT_XML');
    expect(rejection(openCallback(ok.query, '{"Encrypt":"x"}', config, NOW))).toBe('400 NOT_XML');
    expect(rejection(openCallback(ok.query, '', config, NOW))).toBe('400 NOT_XML');
    expect(rejection(openCallback(ok.query, '<root><Encrypt>x</Encrypt></root>', config, NOW))).toBe('400 NO_XML_ROOT');
    expect(rejection(openCallback(ok.query, '<xml><ToUserName>x</ToUserName></xml>', config, NOW))).toBe('400 MISSING_ENCRYPT');
    expect(rejection(openCallback(ok.query, Buffer.from([0x3c, 0xff, 0xfe, 0x3e]), config, NOW))).toBe('400 NOT_XML');
  });

  it('a DOCTYPE in the envelope → 400 without parsing it', () => {
    const body = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${ok.body}`;
    expect(rejection(openCallback(ok.query, body, config, NOW))).toBe('400 DOCTYPE_FORBIDDEN');
  });

  it('entity expansion inside a correctly signed and encrypted message → 400', () => {
    const bomb = signedCallback(fixture('billion-laughs.xml'), keysAt(NOW));
    expect(rejection(openCallback(bomb.query, bomb.body, config, NOW))).toBe('400 DOCTYPE_FORBIDDEN');
  });

  it('an oversized body → 413 before anything else is looked at', () => {
    const big = `<xml><Pad>${'a'.repeat(70_000)}</Pad></xml>`;
    expect(rejection(openCallback({}, big, config, NOW))).toBe('413 BODY_TOO_LARGE');
  });

  it('bad padding under a valid signature → 400 (pad byte 0, pad byte 33, inconsistent pad bytes)', () => {
    const inner = fixture('text-command.xml');
    for (const [opts, reason] of [
      [{ padByte: 0 }, '400 BAD_PADDING'],
      [{ padByte: 33 }, '400 BAD_PADDING'],
      [{ corruptPad: true }, '400 BAD_PADDING'],
      [{ lenDelta: 5000 }, '400 BAD_MSG_LEN'],
    ] as const) {
      const req = signedRaw(rawEncrypt(layout(inner, config.corpId, opts)));
      expect(rejection(openCallback(req.query, req.body, config, NOW))).toBe(reason);
    }
  });

  it('a decrypted message without sender or type → 400', () => {
    const req = signedCallback('<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><MsgType>text</MsgType></xml>', keysAt(NOW));
    expect(rejection(openCallback(req.query, req.body, config, NOW))).toBe('400 NOT_XML');
  });
});

describe('POST callback: message kinds', () => {
  it('text keeps the command verbatim (CDATA is not entity-decoded)', () => {
    const req = signedFixture('text-command.xml');
    expect(message(openCallback(req.query, req.body, config, NOW))).toMatchObject({ kind: 'text', text: '/督办 6 进度 <80%> & 已签收', mentionedBot: true });
  });

  it('image and file become attachments fetched through media/get', async () => {
    const asked: Array<[string, number]> = [];
    const media: MediaSource = {
      downloadMedia: async (id, max) => (asked.push([id, max]), { bytes: new Uint8Array([1, 2, 3]), mime: 'image/jpeg' }),
    };
    const img = signedFixture('image.xml', { MEDIA_ID_PLACEHOLDER: 'm-img' });
    const m = message(openCallback(img.query, img.body, config, NOW, { media }));
    if (m.kind !== 'attachment') throw new Error(m.kind);
    expect(m.attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: 'image-7453215869841234568.jpg' });
    expect(await m.attachment.fetch(1024)).toEqual(new Uint8Array([1, 2, 3]));
    expect(asked).toEqual([['m-img', 1024]]);

    const file = signedFixture('file.xml', { MEDIA_ID_PLACEHOLDER: 'm-file' });
    const f = message(openCallback(file.query, file.body, config, NOW, { media }));
    expect(f).toMatchObject({ kind: 'attachment', attachment: { kind: 'file', name: '第6项佐证材料.pdf', mime: 'application/pdf' }, eventKey: 'WECOM:7453215869841234569' });
  });

  it('template_card_event becomes a card action with token, values, response code and task id', () => {
    const req = signedFixture('template-card-event.xml', { RESPONSE_CODE_PLACEHOLDER: 'rc-1' });
    expect(message(openCallback(req.query, req.body, config, NOW))).toMatchObject({
      kind: 'card-action',
      actionToken: 'ack.v1.T6-M2.sig',
      values: { progress: '80', blockers: 'funding,data' },
      cardRef: 'rc-1',
      eventKey: 'WECOM:wangwu:1767225603:t6-m2-p_gongan-1:ack.v1.T6-M2.sig',
      wecom: { taskId: 't6-m2-p_gongan-1', event: 'template_card_event' },
    });
  });

  it('two different buttons clicked in the same second have different keys', () => {
    const a = signedFixture('template-card-event.xml', { RESPONSE_CODE_PLACEHOLDER: 'rc-1' });
    const b = signedFixture('template-card-button.xml', { RESPONSE_CODE_PLACEHOLDER: 'rc-2' });
    const ka = message(openCallback(a.query, a.body, config, NOW)).eventKey;
    const kb = message(openCallback(b.query, b.body, config, NOW));
    expect(kb).toMatchObject({ kind: 'card-action', values: {} });
    expect(kb.eventKey).not.toBe(ka);
  });

  it('enter_agent becomes enter, keyed by sender and time', () => {
    const req = signedFixture('enter-agent.xml');
    expect(message(openCallback(req.query, req.body, config, NOW))).toMatchObject({ kind: 'enter', eventKey: 'WECOM:zhaoliu:1767225604' });
  });

  it('unknown event types and message types are ignored, not errors', () => {
    const sub = signedFixture('subscribe-event.xml');
    expect(openCallback(sub.query, sub.body, config, NOW)).toEqual({ ok: true, outcome: 'ignored', eventKey: 'WECOM:zhaoliu:1767225605', type: 'event:subscribe' });
    const voice = signedFixture('voice.xml');
    expect(openCallback(voice.query, voice.body, config, NOW)).toMatchObject({ ok: true, outcome: 'ignored', type: 'voice' });
  });
});
