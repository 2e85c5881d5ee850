// The Confluence toolbox's tools, by whether they only read.
export const READS = [
  'confluence_get_attachments',
  'confluence_download_attachment',
  'confluence_download_content_attachments',
  'confluence_get_page_images',
  'confluence_get_inline_comments',
  'confluence_get_page_diff',
];
export const WRITES = [
  'confluence_upload_attachment',
  'confluence_upload_attachments',
  'confluence_delete_attachment',
  'confluence_add_inline_comment',
  'confluence_update_page_section',
];
