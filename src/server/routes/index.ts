import type { AnyActionDef } from '../action.js';
import type { AppDeps } from '../app-deps.js';
import { bootstrapActions } from './bootstrap-routes.js';
import { eventReadActions } from './event-read-routes.js';
import { eventWriteActions } from './event-write-routes.js';
import { tagsActions } from './tags-routes.js';
import { usersActions } from './users-routes.js';
import { authKeysActions } from './auth-keys-routes.js';
import { organisationsActions } from './organisations-routes.js';
import { rolesActions } from './roles-routes.js';
import { serverSettingsActions } from './server-settings-routes.js';
import { userSettingsActions } from './user-settings-routes.js';
import { taxonomiesActions } from './taxonomies-routes.js';
import { warninglistsActions } from './warninglists-routes.js';
import { noticelistsActions } from './noticelists-routes.js';
import { sharingGroupsActions } from './sharing-groups-routes.js';
import { sessionActions } from './session-routes.js';
import { registrationsActions } from './registrations-routes.js';
import { logsActions } from './logs-routes.js';
import { shadowAttributesActions } from './shadow-attributes-routes.js';
import { sightingsActions } from './sightings-routes.js';
import { eventDelegationsActions } from './event-delegations-routes.js';
import { blocklistsActions } from './blocklists-routes.js';
import { statisticsActions } from './statistics-routes.js';
import { diagnosticsActions } from './diagnostics-routes.js';
import { galaxiesActions } from './galaxies-routes.js';
import { galaxyClustersActions } from './galaxy-clusters-routes.js';
import { objectTemplatesActions } from './object-templates-routes.js';
import { decayingModelsActions } from './decaying-models-routes.js';
import { feedsActions } from './feeds-routes.js';
import { communitiesActions } from './communities-routes.js';
import { restSearchActions } from './rest-search-routes.js';
import { correlationActions } from './correlation-routes.js';
import { eventReportsActions } from './event-reports-routes.js';

/** Every MISP controller action Cairn serves. One line per route module. */
export function allActions(deps: AppDeps): AnyActionDef[] {
  const actions: AnyActionDef[] = [
    ...bootstrapActions(deps),
    ...eventReadActions(deps),
    ...eventWriteActions(deps),
    ...usersActions(deps),
    ...organisationsActions(deps),
    ...rolesActions(deps),
    ...authKeysActions(deps),
    ...serverSettingsActions(deps),
    ...userSettingsActions(deps),
    ...tagsActions(deps),
    ...taxonomiesActions(deps),
    ...warninglistsActions(deps),
    ...noticelistsActions(deps),
    ...sharingGroupsActions(deps),
    ...sessionActions(deps),
    ...registrationsActions(deps),
    ...logsActions(deps),
    ...shadowAttributesActions(deps),
    ...sightingsActions(deps),
    ...eventDelegationsActions(deps),
    ...blocklistsActions(deps),
    ...statisticsActions(deps),
    ...galaxiesActions(deps),
    ...galaxyClustersActions(deps),
    ...objectTemplatesActions(deps),
    ...decayingModelsActions(deps),
    ...feedsActions(deps),
    ...communitiesActions(deps),
    ...restSearchActions(deps),
    ...correlationActions(deps),
    ...eventReportsActions(deps),
  ];
  const all: AnyActionDef[] = [...actions, ...diagnosticsActions(deps, () => all)];
  return all;
}
