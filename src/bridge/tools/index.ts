// Every tool the bridge offers, in the order tools/list shows them; tooling.ts decides which ones a
// configuration exposes. One module per toolset: jira/*, confluence/*, and the site list.
import type { ToolDef } from '../tooling';
import {
  confluenceGetAttachments,
  confluenceDownloadAttachment,
  confluenceDownloadContentAttachments,
  confluenceUploadAttachment,
  confluenceUploadAttachments,
  confluenceDeleteAttachment,
  confluenceGetPageImages,
} from './confluence/attachments';
import { confluenceAddComment, confluenceGetComments, confluenceReplyToComment } from './confluence/comments';
import { confluenceGetInlineComments, confluenceAddInlineComment } from './confluence/inlineComments';
import { confluenceGetPageViews } from './confluence/analytics';
import { confluenceCopyPage } from './confluence/copy';
import { confluenceGetLabels, confluenceAddLabel } from './confluence/labels';
import {
  confluenceCreatePage,
  confluenceUpdatePage,
  confluenceDeletePage,
  confluenceMovePage,
} from './confluence/pageEdits';
import { confluenceGetPageDiff } from './confluence/pageDiff';
import { confluenceGetPage, confluenceGetPageChildren, confluenceGetPageHistory } from './confluence/pages';
import { confluenceUpdatePageSection } from './confluence/pageSections';
import { confluenceGetSpacePageTree } from './confluence/pageTree';
import { confluenceCheckContentPermissions, confluenceGetSpacePermissions } from './confluence/permissions';
import { confluenceGetPageRestrictions, confluenceSetPageRestrictions } from './confluence/restrictions';
import { confluenceSearch } from './confluence/search';
import {
  confluenceListPageTemplates,
  confluenceGetPageTemplate,
  confluenceCreatePageFromTemplate,
} from './confluence/templates';
import { confluenceSearchUser } from './confluence/users';
import {
  jiraGetAgileBoards,
  jiraGetSprintsFromBoard,
  jiraGetSprintIssues,
  jiraAddIssuesToSprint,
  jiraGetBoardIssues,
  jiraCreateSprint,
  jiraUpdateSprint,
} from './jira/agile';
import { jiraDownloadAttachments, jiraUploadAttachment, jiraGetIssueImages } from './jira/attachments';
import { jiraAddComment, jiraEditComment } from './jira/comments';
import { jiraGetIssueDevelopmentInfo, jiraGetIssuesDevelopmentInfo } from './jira/devInfo';
import { jiraLinkToEpic } from './jira/epics';
import { jiraSearchFields, jiraGetFieldOptions } from './jira/fields';
import { jiraGetProjectEpicHierarchy, jiraGetCrossProjectDependencies } from './jira/hierarchy';
import { jiraBatchGetChangelogs, jiraGetIssueDates } from './jira/history';
import {
  jiraGetIssue,
  jiraCreateIssue,
  jiraUpdateIssue,
  jiraAssignIssue,
  jiraDeleteIssue,
  jiraBatchCreateIssues,
} from './jira/issues';
import { jiraCreateIssueLink, jiraGetLinkTypes, jiraRemoveIssueLink, jiraCreateRemoteIssueLink } from './jira/links';
import { jiraMoveIssue, jiraMoveIssuesToBacklog } from './jira/moves';
import { jiraGetAllProjects, jiraGetProjectComponents } from './jira/projects';
import {
  jiraGetProjectIssueTypes,
  jiraGetCreateFields,
  jiraGetProjectFields,
  jiraSearchProjects,
} from './jira/projectsMeta';
import { jiraSearch, jiraGetProjectIssues } from './jira/search';
import {
  jiraGetServiceDeskForProject,
  jiraGetServiceDeskQueues,
  jiraGetQueueIssues,
  jiraGetRequestTypes,
  jiraGetRequestTypeFields,
  jiraCreateCustomerRequest,
} from './jira/serviceDesk';
import { jiraGetIssueSla } from './jira/sla';
import { jiraGetIssueProformaForms, jiraGetProformaFormDetails, jiraUpdateProformaFormAnswers } from './jira/forms';
import { jiraGetTransitions, jiraTransitionIssue } from './jira/transitions';
import { jiraGetUserProfile, jiraSearchAssignableUsers } from './jira/users';
import { jiraGetProjectVersions, jiraCreateVersion, jiraBatchCreateVersions, jiraUpdateVersion } from './jira/versions';
import { jiraGetIssueWatchers, jiraAddWatcher, jiraRemoveWatcher } from './jira/watchers';
import { jiraAddWorklog, jiraGetWorklog } from './jira/worklog';
import { atlassianListSites } from './sites';

export const ALL_TOOLS: readonly ToolDef[] = [
  atlassianListSites,
  jiraSearch,
  jiraGetIssue,
  jiraCreateIssue,
  jiraUpdateIssue,
  jiraGetTransitions,
  jiraTransitionIssue,
  jiraAddComment,
  jiraAssignIssue,
  jiraAddWorklog,
  jiraCreateIssueLink,
  jiraGetAllProjects,
  jiraSearchFields,
  jiraGetFieldOptions,
  jiraGetUserProfile,
  jiraDeleteIssue,
  jiraEditComment,
  jiraGetWorklog,
  jiraGetLinkTypes,
  jiraRemoveIssueLink,
  jiraGetIssueWatchers,
  jiraAddWatcher,
  jiraRemoveWatcher,
  jiraDownloadAttachments,
  jiraUploadAttachment,
  jiraGetProjectVersions,
  jiraCreateVersion,
  jiraGetProjectComponents,
  jiraGetAgileBoards,
  jiraGetSprintsFromBoard,
  jiraGetSprintIssues,
  jiraAddIssuesToSprint,
  jiraGetProjectIssues,
  jiraBatchCreateIssues,
  jiraLinkToEpic,
  jiraCreateRemoteIssueLink,
  jiraGetBoardIssues,
  jiraCreateSprint,
  jiraUpdateSprint,
  jiraBatchCreateVersions,
  jiraUpdateVersion,
  jiraGetServiceDeskForProject,
  jiraGetServiceDeskQueues,
  jiraGetQueueIssues,
  jiraGetRequestTypes,
  jiraGetRequestTypeFields,
  jiraCreateCustomerRequest,
  jiraGetIssueSla,
  jiraGetIssueProformaForms,
  jiraGetProformaFormDetails,
  jiraUpdateProformaFormAnswers,
  jiraBatchGetChangelogs,
  jiraMoveIssue,
  jiraGetProjectIssueTypes,
  jiraGetCreateFields,
  jiraGetProjectFields,
  jiraSearchProjects,
  jiraMoveIssuesToBacklog,
  jiraGetIssueImages,
  jiraSearchAssignableUsers,
  jiraGetIssueDates,
  jiraGetIssueDevelopmentInfo,
  jiraGetIssuesDevelopmentInfo,
  jiraGetProjectEpicHierarchy,
  jiraGetCrossProjectDependencies,
  confluenceSearch,
  confluenceGetPage,
  confluenceGetPageChildren,
  confluenceCreatePage,
  confluenceUpdatePage,
  confluenceAddComment,
  confluenceGetComments,
  confluenceGetLabels,
  confluenceGetPageHistory,
  confluenceDeletePage,
  confluenceMovePage,
  confluenceReplyToComment,
  confluenceAddLabel,
  confluenceSearchUser,
  confluenceGetPageDiff,
  confluenceUpdatePageSection,
  confluenceGetInlineComments,
  confluenceAddInlineComment,
  confluenceGetAttachments,
  confluenceDownloadAttachment,
  confluenceDownloadContentAttachments,
  confluenceUploadAttachment,
  confluenceUploadAttachments,
  confluenceDeleteAttachment,
  confluenceGetPageImages,
  confluenceGetSpacePageTree,
  confluenceCopyPage,
  confluenceGetPageRestrictions,
  confluenceSetPageRestrictions,
  confluenceListPageTemplates,
  confluenceGetPageTemplate,
  confluenceCreatePageFromTemplate,
  confluenceCheckContentPermissions,
  confluenceGetSpacePermissions,
  confluenceGetPageViews,
];
