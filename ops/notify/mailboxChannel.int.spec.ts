import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mail } from './mailChannel.ts';
import { mailboxChannel } from './mailChannel.ts';

const mail = (id: string, folder: string): Mail => ({ messageId: `${id}@jobs-discovery`, from: 'jobs@service.example', to: 'w@example.com', subject: 'Hello', text: 'Hi', html: '<p>Hi</p>', headers: {}, folder });

describe('the local mailbox (real files)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('files a message again after its recipient folder was removed by hand, leaving no temporary file', async () => {
    const channel = mailboxChannel(dir);
    await channel.send(mail('m1', 'worker-w1'));
    rmSync(join(dir, 'worker-w1'), { recursive: true });
    await channel.send(mail('m2', 'worker-w1'));
    expect(readdirSync(join(dir, 'worker-w1'))).toEqual(['m2@jobs-discovery.eml']);
    expect(existsSync(join(dir, 'worker-w1', 'm1@jobs-discovery.eml'))).toBe(false);
  });
});
