import { describe, expect, it } from 'vitest';
import { decodeCallback, decodeCardCallback, decodeRobotMessage, type Decoded, type DingtalkInboundMessage, type FileSource } from '../../../bot/dingtalk/decode.ts';
import { cardCallback, fixture } from './fixtures.ts';

const now = new Date('2026-06-20T03:00:00Z');

function only(d: Decoded): DingtalkInboundMessage {
  if (d.outcome !== 'messages') throw new Error(`expected messages, got ${JSON.stringify(d)}`);
  expect(d.messages).toHaveLength(1);
  return d.messages[0]!;
}

describe('robot messages', () => {
  it('a group @-mention becomes text without the mention space, keyed by msgId', () => {
    const m = only(decodeRobotMessage(fixture('robot-text-group'), { now }));
    expect(m).toMatchObject({
      kind: 'text',
      text: '进度 6 80% 已完成系统联调',
      mentionedBot: true,
      eventKey: 'msgQ7hQv0D9fQmWbF2oIx3Zk1g==',
      sender: { platform: 'DINGTALK', userId: '0135212546211226', displayName: '李娟' },
      chat: { platform: 'DINGTALK', kind: 'group', chatId: 'cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==' },
      receivedAt: now,
      dingtalk: { msgtype: 'text', robotCode: 'dingfake0123456789', conversationTitle: '湘易办专班·省人社厅' },
    });
    expect(JSON.stringify(m)).not.toContain('sendBySession'); // the session webhook is not kept with the event
  });

  it('a 1:1 message addresses the bot and the chat is the sender', () => {
    const m = only(decodeRobotMessage(fixture('robot-text-direct'), { now }));
    expect(m).toMatchObject({ kind: 'text', text: '我的待办', mentionedBot: true, chat: { kind: 'direct', chatId: 'manager7421' } });
  });

  it('a group message not in the at-list is not a mention; senderId stands in for a missing staffId', () => {
    const m = only(decodeRobotMessage(fixture('robot-text-group', { isInAtList: false, senderStaffId: undefined }), { now }));
    expect(m).toMatchObject({ mentionedBot: false, sender: { userId: '$:LWCP_v1:$k3Jd9sQ0pL2mVb8cXy1wTg==' } });
  });

  it('a picture becomes an image attachment fetched through its downloadCode', async () => {
    const asked: Array<[string, number]> = [];
    const files: FileSource = {
      async downloadFile(code, max) {
        asked.push([code, max]);
        return { bytes: new Uint8Array([0xff, 0xd8, 0xff]), mime: 'image/jpeg' };
      },
    };
    const m = only(decodeRobotMessage(fixture('robot-picture'), { now, files }));
    if (m.kind !== 'attachment') throw new Error('not an attachment');
    expect(m.attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg', ref: 'mIofN681YE3f/+m+NntqpT5sB4oK3xJm0c9cVQF2s8dG5Yh1kPz7wLr6aCEfXqD2' });
    expect(m.attachment.name).toMatch(/^image-msgP1c7uR3eW5tY8aZ0xQ2vB4n\.jpg$/);
    expect(await m.attachment.fetch(1024)).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
    expect(asked).toEqual([['mIofN681YE3f/+m+NntqpT5sB4oK3xJm0c9cVQF2s8dG5Yh1kPz7wLr6aCEfXqD2', 1024]]);
  });

  it('a file keeps its Chinese name and a MIME type from the extension', () => {
    const m = only(decodeRobotMessage(fixture('robot-file'), { now }));
    if (m.kind !== 'attachment') throw new Error('not an attachment');
    expect(m.attachment).toMatchObject({ kind: 'file', name: '任务6佐证材料-系统联调报告.pdf', mime: 'application/pdf' });
    expect(m.chat.kind).toBe('group');
  });

  it('an attachment without a client says so in Chinese when fetched', async () => {
    const m = only(decodeRobotMessage(fixture('robot-file'), { now }));
    if (m.kind !== 'attachment') throw new Error('not an attachment');
    await expect(m.attachment.fetch(10)).rejects.toThrow('暂时无法获取该附件');
  });

  it('rich text with two screenshots becomes two attachments, the first carrying the remark', () => {
    const d = decodeRobotMessage(fixture('robot-richtext'), { now });
    if (d.outcome !== 'messages') throw new Error('expected messages');
    expect(d.messages.map((m) => [m.kind, m.eventKey, m.kind === 'attachment' ? m.text : undefined])).toEqual([
      ['attachment', 'msgR4tE6wQ8yU0iO2pA4sD6fG8h==', '佐证 6 上线截图'],
      ['attachment', 'msgR4tE6wQ8yU0iO2pA4sD6fG8h==#2', undefined],
    ]);
  });

  it('a content given as a JSON string is read too', () => {
    const pic = fixture('robot-picture');
    const m = only(decodeRobotMessage({ ...pic, content: JSON.stringify(pic.content) }, { now }));
    expect(m.kind).toBe('attachment');
  });

  it('an unknown msgtype is ignored, typed', () => {
    expect(decodeRobotMessage(fixture('robot-audio'), { now })).toEqual({ outcome: 'ignored', eventKey: 'msgA2uD4iO6pQ8wE0rT2yU4iO6p==', type: 'audio' });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no msgId', fixture('robot-text-group', { msgId: undefined })],
    ['a bad conversationType', fixture('robot-text-group', { conversationType: '3' })],
    ['no sender', fixture('robot-text-group', { senderStaffId: undefined, senderId: undefined })],
    ['text without content', fixture('robot-text-group', { text: undefined })],
    ['a picture without downloadCode', fixture('robot-picture', { content: {} })],
    ['a file with an unparsable content', fixture('robot-file', { content: '{oops' })],
  ])('%s is a typed rejection, not a throw', (_name, payload) => {
    expect(decodeRobotMessage(payload, { now })).toMatchObject({ outcome: 'rejected', reason: 'MALFORMED' });
  });
});

describe('card callbacks', () => {
  it('the recorded click becomes a card-action with the signed token, form values and the outTrackId', () => {
    const m = only(decodeCardCallback(fixture('card-callback'), { now, messageId: 'stream-msg-1' }));
    expect(m).toMatchObject({
      kind: 'card-action',
      actionToken: 'progress.42.t0x9ab.Qm9ndXNTaWduYXR1cmUx',
      values: { progress: '80', note: '已完成系统联调', channels: 'app,web' },
      cardRef: 'duban-ticket-42-v3',
      eventKey: 'card:stream-msg-1',
      sender: { platform: 'DINGTALK', userId: '0135212546211226' },
      chat: { kind: 'direct', chatId: '0135212546211226' },
      dingtalk: { msgtype: 'cardCallback', outTrackId: 'duban-ticket-42-v3' },
    });
  });

  it('without params.action the first action id is the token; without a messageId the key is derived from the content', () => {
    const a = only(decodeCardCallback(cardCallback({ reason: '材料不全' }, ['accept.7.abc.sig']), { now }));
    const b = only(decodeCardCallback(cardCallback({ reason: '材料不全' }, ['accept.7.abc.sig']), { now }));
    const c = only(decodeCardCallback(cardCallback({ reason: '材料齐全' }, ['accept.7.abc.sig']), { now }));
    expect(a).toMatchObject({ actionToken: 'accept.7.abc.sig', values: { reason: '材料不全' } });
    expect(a.eventKey).toBe(b.eventKey);
    expect(a.eventKey).not.toBe(c.eventKey);
  });

  it('a click in a group card names the group when DingTalk says where', () => {
    const m = only(decodeCardCallback(cardCallback({ action: 'x' }, [], { spaceType: 'IM_GROUP', spaceId: 'dtv1.card//IM_GROUP.cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==' }), { now }));
    expect(m.chat).toEqual({ platform: 'DINGTALK', kind: 'group', chatId: 'cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==' });
  });

  it.each([
    ['no action at all', cardCallback({ note: 'x' })],
    ['content not JSON', fixture('card-callback', { content: 'not json' })],
    ['no cardPrivateData', fixture('card-callback', { content: '{}' })],
    ['no userId', fixture('card-callback', { userId: undefined })],
  ])('%s is a typed rejection', (_name, payload) => {
    expect(decodeCardCallback(payload, { now })).toMatchObject({ outcome: 'rejected', reason: 'MALFORMED' });
  });

  it('HTTP payloads are told apart by outTrackId', () => {
    expect(only(decodeCallback(fixture('card-callback'), { now })).kind).toBe('card-action');
    expect(only(decodeCallback(fixture('robot-text-direct'), { now })).kind).toBe('text');
  });
});
