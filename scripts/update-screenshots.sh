#!/usr/bin/env bash
# Copies the UI tests' screenshots that the README shows into docs/screenshots/.
# Run `npm run test:ui` first; the tests write test-results/ui/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in signed-out-welcome oauth-2-consent-page oauth-4-site-pick issues-1-first-page issues-4-transition-pick health-1-connected health-3-diagnostics-report mcp-4-tools-discovered detail-1-issue detail-3-transition-asks-for-field search-2-autocomplete-values detail-6-comment-with-mention; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
echo "updated docs/screenshots/"
