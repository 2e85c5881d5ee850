#!/usr/bin/env bash
# Copies the UI tests' screenshots that README.md and README.marketplace.md show into docs/screenshots/.
# Run `npm run test:ui` first; the tests write test-results/ui/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in signed-out-welcome oauth-2-consent-page issues-4-transition-pick health-1-connected \
  mcp-4-tools-discovered issues-narrow-sidebar diagnostics-preview walkthrough-steps-done extension-details-page; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
# Sign-in and connections (test/ui/signin.test.ts).
for name in signin-1-methods-api-token-first signin-2-early-site-error signin-3-api-token-page-button signin-4-wrong-token-error signin-5-try-again-keeps-inputs signin-6-jira-and-confluence-checked signin-7-duplicate-replace-keep-cancel signin-8-default-marked signin-9-connection-context-menu signin-10-disconnecting-the-default; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
# The issue detail view and JQL search (test/ui/issueDetail.test.ts).
for name in detail-1-issue detail-3-transition-asks-for-field search-2-autocomplete-values detail-6-comment-with-mention; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
# Create, TODO → issue and Start Work (test/ui/createIssue.test.ts, test/ui/startWork.test.ts).
for name in create-2-required-field-refused todo-3-key-written-back startwork-2-branch-status-bar-commit-prefix; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
# Issues into chat and the bridge's prompts (test/ui/chat.test.ts, test/ui/prompts.test.ts).
for name in chat-1-issue-from-tree chat-4-ask-agent-prefilled chat-5-prompts-in-slash-menu; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
echo "updated docs/screenshots/"
