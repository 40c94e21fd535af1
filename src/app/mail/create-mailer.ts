import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingMail } from '../../core/ports/mailer.js';

/**
 * The Mailer port's adapter. With `CAIRN_SMTP_URL` (smtp:// or smtps://, credentials in the URL) mail goes to that
 * server; without it each message is written as an RFC 822 `.eml` file to the spool folder (`CAIRN_MAIL_SPOOL`,
 * default ./data/outbox), where an operator's MTA or a look by hand picks it up. Nothing is dropped silently.
 */
export function createMailer(opts: { readonly smtpUrl?: string | undefined; readonly spoolDir: string }): Mailer {
  if (opts.smtpUrl) {
    const transport = nodemailer.createTransport(opts.smtpUrl);
    return { async send(mail, from) { await transport.sendMail(message(mail, from)); } };
  }
  const spool = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let seq = 0;
  return {
    async send(mail, from) {
      const info = await spool.sendMail(message(mail, from));
      mkdirSync(opts.spoolDir, { recursive: true });
      const name = `${Date.now()}-${process.pid}-${++seq}.eml`;
      writeFileSync(join(opts.spoolDir, name), info.message as Buffer, { mode: 0o600 });
    },
  };
}

function message(mail: OutgoingMail, from: string) {
  return { from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.replyTo ? { replyTo: mail.replyTo } : {}) };
}
