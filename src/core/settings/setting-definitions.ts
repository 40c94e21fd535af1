/**
 * MISP's runtime settings that Cairn honours, with MISP's names and defaults (spec Appendix B,
 * app/Model/Server.php serverSettings). Values are stored in the `settings` table and edited through
 * `servers/serverSettingsEdit/<name>`; anything not listed is refused unless `force` is given.
 */
export type SettingType = 'boolean' | 'string' | 'numeric' | 'array';

export interface SettingDefinition {
  readonly name: string;
  readonly type: SettingType;
  readonly default: unknown;
  readonly description: string;
  /** MISP's level: 0 critical, 1 recommended, 2 optional. */
  readonly level: 0 | 1 | 2;
  /** Allowed values for enumerations. */
  readonly options?: Readonly<Record<string, string>>;
}

const def = (name: string, type: SettingType, dflt: unknown, description: string, level: 0 | 1 | 2 = 2,
  options?: Record<string, string>): SettingDefinition => ({ name, type, default: dflt, description, level, ...(options ? { options } : {}) });

const DISTRIBUTIONS = { 0: 'Your organisation only', 1: 'This community only', 2: 'Connected communities', 3: 'All communities', 4: 'Sharing group' };

export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  def('MISP.baseurl', 'string', '', 'The base url of the application (in the format https://www.mymispinstance.com).', 0),
  def('MISP.external_baseurl', 'string', '', 'The external url used for sync and in sharing groups, if different from the base url.', 1),
  def('MISP.uuid', 'string', '', 'The MISP instance UUID, used to recognise this instance in sync.', 0),
  def('MISP.org', 'string', 'ORGNAME', 'The name of the host organisation.', 1),
  def('MISP.host_org_id', 'numeric', 1, 'The host organisation; its users may use local tags and see feeds.', 0),
  def('MISP.email', 'string', 'root@localhost', 'The e-mail address notifications are sent from.', 0),
  def('MISP.default_event_distribution', 'numeric', 1, 'The default distribution setting for events.', 0, DISTRIBUTIONS),
  def('MISP.default_attribute_distribution', 'string', 'event', 'The default distribution setting for attributes; "event" inherits the event.', 0),
  def('MISP.default_event_threat_level', 'numeric', 4, 'The default threat level for new events.', 1),
  def('MISP.unpublishedprivate', 'boolean', false, 'Hide unpublished events from other organisations.', 2),
  def('MISP.max_correlations_per_event', 'numeric', 5000, 'Correlations shown per event before they are truncated.', 1),
  def('MISP.correlation_limit', 'numeric', 20, 'Values occurring more often than this no longer correlate (over-correlation).', 1),
  def('MISP.correlation_engine', 'string', 'Default', 'Correlation engine: Default, NoAcl or Legacy.', 1),
  def('MISP.completely_disable_correlation', 'boolean', false, 'Disable correlation on the whole instance.', 2),
  def('MISP.allow_disabling_correlation', 'boolean', false, 'Let users disable correlation on events and attributes.', 2),
  def('MISP.enable_advanced_correlations', 'boolean', false, 'CIDR and ssdeep correlations.', 2),
  def('MISP.ssdeep_correlation_threshold', 'numeric', 40, 'Minimum ssdeep score for a fuzzy correlation.', 2),
  def('MISP.disablerestalert', 'boolean', false, 'Do not send alert e-mails for events added or published through the API.', 1),
  def('MISP.disable_emailing', 'boolean', false, 'Disable every e-mail the instance would send.', 1),
  def('MISP.email_subject_tag', 'string', 'tlp', 'The tag namespace whose tag marks e-mail subjects.', 2),
  def('MISP.email_subject_TLP_string', 'string', 'tlp:amber', 'The subject mark when the event has no such tag.', 2),
  def('MISP.email_subject_include_tag_name', 'boolean', true, 'Keep the namespace in the subject mark.', 2),
  def('MISP.background_jobs', 'boolean', true, 'Run long tasks in the background.', 1),
  def('MISP.block_publishing_for_same_creator', 'boolean', false, 'Forbid publishing by the creator of an event (four-eyes).', 2),
  def('MISP.showorg', 'boolean', true, 'Show the organisation of sightings and events.', 2),
  def('MISP.delegation', 'boolean', false, 'Allow event delegation.', 2),
  def('MISP.enableEventBlocklisting', 'boolean', true, 'Block events by uuid; deleting an event blocklists it.', 1),
  def('MISP.enableOrgBlocklisting', 'boolean', true, 'Block events created by listed organisations.', 1),
  def('MISP.log_new_audit', 'boolean', true, 'Write the new audit log.', 1),
  def('MISP.disableUserSelfManagement', 'boolean', false, 'Users may not edit their own profile.', 2),
  def('MISP.disable_user_add', 'boolean', false, 'Org admins may not add users.', 2),
  def('MISP.disable_user_password_change', 'boolean', false, 'Users may not change their password (users/change_pw, password edits).', 2),
  def('MISP.disable_user_login_change', 'boolean', false, 'Only site admins may change a user\'s e-mail address.', 2),
  def('MISP.default_publish_alert', 'boolean', true, 'The default setting for publish alerts when creating users.', 0),
  def('MISP.enable_synchronisation_filtering_on_type', 'boolean', false, 'Allow sync filters on attribute and object types.', 2),
  def('MISP.warning_for_all', 'boolean', false, 'Run warninglist checks on attributes whose to_ids is off too.', 2),
  def('MISP.terms_download', 'boolean', false, 'Offer the terms as a download.', 2),
  def('MISP.welcome_text_top', 'string', 'Initial Install, please configure', 'Text shown at the top of the login page.', 2),
  def('MISP.welcome_text_bottom', 'string', 'Welcome to Cairn', 'Text shown at the bottom of the login page.', 2),
  def('MISP.language', 'string', 'eng', 'Interface language.', 2),
  def('MISP.title_text', 'string', 'Cairn', 'The title of the application.', 2),
  def('MISP.footermidleft', 'string', '', 'Footer text (middle left).', 2),
  def('MISP.footermidright', 'string', '', 'Footer text (middle right).', 2),
  def('MISP.nids_sid', 'numeric', 4000000, 'The first sid of the generated IDS rules.', 1),
  def('MISP.live', 'boolean', true, 'Turn the instance on or off for non-admin users.', 0),
  def('MISP.maintenance_message', 'string', 'Great things are happening! MISP is undergoing maintenance, but will return shortly.', 'Shown when the instance is off.', 2),
  def('Security.advanced_authkeys', 'boolean', true, 'Hashed, expiring, IP-bound API keys in the auth_keys table.', 0),
  def('Security.allow_self_registration', 'boolean', false, 'Allow users to request an account through users/register.', 2),
  def('Security.hide_organisation_index_from_users', 'boolean', false, 'Only users with perm_sharing_group see the organisation index.', 2),
  def('Security.password_policy_length', 'numeric', 12, 'Minimum password length.', 1),
  def('Security.password_policy_complexity', 'string', '/^((?=.*\\d)|(?=.*\\W+))(?![\\n])(?=.*[A-Z])(?=.*[a-z]).*$|.{16,}/', 'Password complexity as a regular expression.', 1),
  def('Security.require_password_confirmation', 'boolean', false, 'Ask for the current password when changing it.', 2),
  def('Security.allow_unsafe_apikey_named_param', 'boolean', false, 'Accept the API key as a named URL parameter (apikey:).', 2),
  def('Security.authkey_keep_session', 'boolean', false, 'Keep a session for key-authenticated requests.', 2),
  def('Security.username_in_response_header', 'boolean', false, 'Send X-Username and X-UserOrgUUID with key-authenticated responses.', 2),
  def('Security.advanced_authkeys_validity', 'numeric', 0, 'Maximum validity of new API keys in days (0 = unlimited).', 2),
  def('Security.log_each_individual_auth_fail', 'boolean', false, 'Log every failed API authentication.', 2),
  def('Security.self_registration_message', 'string', 'If you would like to send us a registration request, please fill out the form below. Make sure you fill out as much information as possible in order to ease the task of the administrators.', 'The message shown to anyone trying to self-register.', 1),
  def('SecureAuth.amount', 'numeric', 5, 'The number of tries a user can try to login and fail before the bruteforce protection kicks in.', 0),
  def('SecureAuth.expire', 'numeric', 300, 'The duration (in seconds) of how long the user will be locked out when the allowed number of login attempts are exhausted.', 0),
  def('Session.timeout', 'numeric', 60, 'Idle timeout of browser sessions (in MINUTES).', 1),
  def('Session.cookieTimeout', 'numeric', 720, 'Absolute lifetime of browser sessions and their cookie (in MINUTES); keep it well above Session.timeout.', 1),
  def('Plugin.Sightings_policy', 'numeric', 0, 'Who sees sightings (0 event owner, 1 reporters, 2 everyone, 3 host org).', 2),
  def('Plugin.Sightings_anonymise', 'boolean', false, 'Hide the organisations of other orgs\' sightings.', 2),
  def('Plugin.ZeroMQ_enable', 'boolean', false, 'Publish to ZeroMQ.', 2),
  def('Plugin.ZeroMQ_host', 'string', '127.0.0.1', 'ZeroMQ bind host.', 2),
  def('Plugin.ZeroMQ_port', 'numeric', 50000, 'ZeroMQ bind port.', 2),
  def('debug', 'numeric', 0, 'Debug level (0 production, 1 debug, 2 debug with SQL).', 0),
];

export const SETTINGS_BY_NAME: ReadonlyMap<string, SettingDefinition> = new Map(SETTING_DEFINITIONS.map((d) => [d.name, d]));

/**
 * Coerces an incoming value to the setting's type as MISP does (`true`, `"1"`, `1` are all true).
 * Returns undefined when the value cannot be read as that type.
 */
export function coerceSettingValue(d: SettingDefinition | undefined, raw: unknown): unknown {
  if (!d) return raw;
  switch (d.type) {
    case 'boolean':
      if (raw === true || raw === 1 || raw === '1' || raw === 'true') return true;
      if (raw === false || raw === 0 || raw === '0' || raw === 'false' || raw === '') return false;
      return undefined;
    case 'numeric': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      return Number.isFinite(n) ? n : undefined;
    }
    case 'string':
      return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
    case 'array':
      return Array.isArray(raw) || (typeof raw === 'object' && raw !== null) ? raw : undefined;
  }
}
