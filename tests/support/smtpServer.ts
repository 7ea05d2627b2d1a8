// A real SMTP server on loopback (smtp-server) that parses what arrives
// (mailparser), for the notification tests. Faults on request: a share of
// sessions refused with 421 at connect, a share of recipients deferred with
// 451, a share of connections dropped, addresses refused for good with 550.
import type { AddressInfo, Socket } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Map<string, unknown>;
  raw: string;
}

export interface SmtpFaults {
  /** Share of sessions answered 421 at connect. */
  refuseSession?: number;
  /** Share of recipients answered 451 (try again later). */
  deferRecipient?: number;
  /** Share of connections dropped right after they open. */
  dropConnection?: number;
  /** Addresses refused for good (550). */
  rejectAddresses?: readonly string[];
  random?: () => number;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  faults: SmtpFaults;
  /** Resolves once `count` mails arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  sessions(): number;
  /** How many times an address was refused for good (550). */
  rejections(address: string): number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startSmtpServer(faults: SmtpFaults = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  let sessions = 0;
  const rejected = new Map<string, number>();
  const state = { faults };
  const random = () => (state.faults.random ?? Math.random)();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      sessions++;
      if (random() < (state.faults.refuseSession ?? 0)) return callback(smtpError(421, 'too busy, try later'));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (state.faults.rejectAddresses?.includes(address.address)) {
        rejected.set(address.address, (rejected.get(address.address) ?? 0) + 1);
        return callback(smtpError(550, 'no such user'));
      }
      if (random() < (state.faults.deferRecipient ?? 0)) return callback(smtpError(451, 'greylisted, try later'));
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((m: ParsedMail) => {
            const to = Array.isArray(m.to) ? m.to.flatMap((a) => a.value) : (m.to?.value ?? []);
            received.push({
              messageId: m.messageId ?? '',
              to: to.map((a) => a.address ?? ''),
              from: m.from?.text ?? '',
              subject: m.subject ?? '',
              text: m.text ?? '',
              html: typeof m.html === 'string' ? m.html : '',
              headers: m.headers,
              raw,
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  // The net server under smtp-server: drop some connections outright.
  const net = (server as unknown as { server: { on(event: 'connection', f: (s: Socket) => void): void } }).server;
  net.on('connection', (socket) => {
    if (random() < (state.faults.dropConnection ?? 0)) setTimeout(() => socket.destroy(), 5);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    get faults() {
      return state.faults;
    },
    set faults(f: SmtpFaults) {
      state.faults = f;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${received.length}: ${received.map((m) => m.subject).join(' | ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    sessions: () => sessions,
    rejections: (address) => rejected.get(address) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
