import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

/** One e-mail, ready to hand over. */
export interface Mail {
  /** The Message-ID without angle brackets: stable per message, so receivers can drop a repeat. */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Where the local mailbox files it (one folder per recipient). */
  folder: string;
}

/** A failed hand-over: `permanent` ones are not retried (SMTP 5xx, a refused address). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface MailChannel {
  readonly name: 'smtp' | 'mailbox';
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}

interface SmtpFailure {
  responseCode?: number;
  code?: string;
  message?: string;
}

/** SMTP replies 5xx are final; 4xx, time-outs and dropped connections are worth another try. */
export function classifySmtpError(err: unknown): DeliveryError {
  const e = (err ?? {}) as SmtpFailure;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const text = `${code !== undefined ? `SMTP ${code}` : (e.code ?? 'error')}: ${e.message ?? String(err)}`;
  return new DeliveryError(text, code !== undefined && code >= 500);
}

/** Mail through an SMTP relay (`smtp://user:pass@host:port`, `smtps://...`). */
export function smtpChannel(url: string, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): MailChannel {
  const transport = nodemailer.createTransport(url, {
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  } as Parameters<typeof nodemailer.createTransport>[1]);
  return {
    name: 'smtp',
    async send(mail) {
      try {
        await transport.sendMail({
          messageId: `<${mail.messageId}>`,
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
        });
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    close: () => {
      transport.close();
      return Promise.resolve();
    },
  };
}

/**
 * Without a mail server (embedded mode, no SMTP_URL): each message becomes an
 * `.eml` file under `<dir>/<recipient>/`, which any mail client opens.
 */
export function mailboxChannel(dir: string): MailChannel {
  // Folders made by this channel: each is made once, not looked up again per message (a bounded memo: forgotten when full).
  const made = new Set<string>();
  const MADE_MAX = 10_000;
  return {
    name: 'mailbox',
    async send(mail) {
      // nodemailer's own composer, without a transport's stream pipeline around it (no transport is needed to write a file).
      const built = await new MailComposer({ messageId: `<${mail.messageId}>`, from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: mail.headers }).compile().build();
      // Unix line ends, as files on this system have them (the message is 7-bit: its bodies are encoded).
      const message = Buffer.from(built.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      const folder = join(dir, mail.folder);
      const file = join(folder, `${mail.messageId.replace(/[^A-Za-z0-9_.@-]/g, '_')}.eml`);
      // Whole files only: a crash never leaves half a message.
      if (!made.has(folder)) mkdirSync(folder, { recursive: true });
      try {
        writeFileSync(`${file}.tmp`, message);
      } catch (err) {
        // The folder went away since (a mailbox cleared by hand): make it again.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        mkdirSync(folder, { recursive: true });
        writeFileSync(`${file}.tmp`, message);
      }
      if (made.size >= MADE_MAX) made.clear();
      made.add(folder);
      renameSync(`${file}.tmp`, file);
    },
    close: () => Promise.resolve(),
  };
}
