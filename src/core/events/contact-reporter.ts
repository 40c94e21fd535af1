import type { RequestContext } from '../context.js';
import { notAllowed, saveFailed } from '../errors.js';
import { isRecord } from '../misp-format/input-readers.js';
import { readBool } from '../misp-format/scalars.js';
import type { MispEvent } from '../model/event.js';
import type { User } from '../model/user.js';
import type { Mailer, OutgoingMail } from '../ports/mailer.js';
import type { Stores } from '../ports/stores.js';
import { refOrNotFound, visibleEventOrNotFound } from './event-write-env.js';

/**
 * events/contact/{id} (EventsController::contact, Event::sendContactEmail; spec §3.1): a user who can see an event
 * writes to the organisation that created it. Recipients are the creator org's enabled users who opted into
 * contact alerts plus the event's creator, or only the creator when `person` is set. The event is read as the
 * requesting user, so the mail cannot leak what they could not see. With `MISP.disable_emailing` nothing is
 * sent and the request still succeeds, as MISP's User::sendEmail does.
 */
export async function contactEventReporter(ctx: RequestContext, stores: Stores, mailer: Mailer, rawId: string | undefined,
  body: unknown): Promise<number> {
  const event = await visibleEventOrNotFound(ctx, stores, refOrNotFound(rawId, 'Invalid event'), 'Invalid event');
  const input = isRecord(body) && isRecord(body.Event) ? body.Event : isRecord(body) ? body : {};
  const message = typeof input.message === 'string' ? input.message : '';
  if (message.trim() === '') throw notAllowed('You must specify a message.');
  const creatorOnly = readBool(input.person) ?? false;

  const recipients = await reporters(stores, event, creatorOnly);
  if (recipients.length === 0) throw saveFailed('Could not contact Events', 'Sending of email failed.', { id: String(event.id) });
  if (ctx.settings.bool('MISP.disable_emailing')) return event.id;

  const tags = (await stores.tags.eventTags([event.id])).get(event.id) ?? [];
  const subject = `[${ctx.settings.str('MISP.org')} MISP] Need info about event ${event.id} - ${subjectMark(ctx, tags.map((t) => t.tag.name)).toUpperCase()}`;
  const from = ctx.settings.str('MISP.email');
  for (const to of recipients) await mailer.send(contactMail(ctx, event, to, subject, message), from);
  return event.id;
}

async function reporters(stores: Stores, event: MispEvent, creatorOnly: boolean): Promise<User[]> {
  const members = await stores.identity.listUsers({ orgIds: [event.orgcId], disabled: false });
  return members.filter((u) => u.id === event.userId || (!creatorOnly && u.contactalert));
}

/** Event::getEmailSubjectMarkForEvent: the first `tlp:`/`tlp=` tag (MISP.email_subject_tag), else the default. */
export function subjectMark(ctx: Pick<RequestContext, 'settings'>, tagNames: readonly string[]): string {
  const ns = ctx.settings.str('MISP.email_subject_tag') || 'tlp';
  for (const name of tagNames) {
    const sep = name[ns.length];
    if (name.length > ns.length && name.slice(0, ns.length).toLowerCase() === ns.toLowerCase() && (sep === ':' || sep === '=')) {
      return ctx.settings.bool('MISP.email_subject_include_tag_name') ? name : name.slice(ns.length + 1).replace(/^"|"$/g, '');
    }
  }
  return ctx.settings.str('MISP.email_subject_TLP_string') || 'tlp:amber';
}

function contactMail(ctx: RequestContext, event: MispEvent, to: User, subject: string, message: string): OutgoingMail {
  const requestor = ctx.actor.user.email;
  const text = [
    'Hello,', '',
    'Someone wants to get in touch with you concerning a MISP event.', '',
    `You can reach them at ${requestor}`, '',
    'They wrote the following message:', message, '', '',
    'The event is the following:',
    `${ctx.baseUrl}/events/view/${event.id}`,
    `Event ID: ${event.id}`,
    `Info: ${event.info}`, '',
  ].join('\n');
  return { to: to.email, subject, text, replyTo: requestor };
}
