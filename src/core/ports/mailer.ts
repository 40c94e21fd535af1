/** One e-mail the instance sends (alerts, contact requests, password resets). */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The requesting user, so the recipient can answer them directly (MISP's replyToUser). */
  readonly replyTo?: string;
}

/**
 * Sends mail on the instance's behalf. The adapter (src/app/mail) delivers through SMTP when one is configured,
 * else spools each message as an .eml file for the operator's MTA; `send` resolves once the message is accepted.
 */
export interface Mailer {
  send(mail: OutgoingMail, from: string): Promise<void>;
}
