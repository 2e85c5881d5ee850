// The default toolset's names, for the tests that pin it (re-chosen in issue 16: reading an issue
// and its attachments, moving it along, linking a pull request, release versions, docs in Confluence;
// time tracking and field options are opt-in).
export const DEFAULT_TOOLS = [
  'atlassian_list_sites',
  'jira_search',
  'jira_get_issue',
  'jira_create_issue',
  'jira_update_issue',
  'jira_get_transitions',
  'jira_transition_issue',
  'jira_add_comment',
  'jira_assign_issue',
  'jira_create_issue_link',
  'jira_create_remote_issue_link',
  'jira_download_attachments',
  'jira_get_all_projects',
  'jira_get_project_versions',
  'jira_search_fields',
  'jira_get_user_profile',
  'confluence_search',
  'confluence_get_page',
  'confluence_get_page_children',
  'confluence_create_page',
  'confluence_update_page',
  'confluence_add_comment',
  'confluence_get_comments',
];
