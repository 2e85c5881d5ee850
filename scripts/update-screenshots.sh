#!/usr/bin/env bash
# Copies the UI tests' screenshots that README.md and README.marketplace.md show into docs/screenshots/.
# Run `npm run test:ui` first; the tests write test-results/ui/*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
for name in signed-out-welcome oauth-2-consent-page issues-4-transition-pick health-1-connected \
  mcp-4-tools-discovered issues-narrow-sidebar diagnostics-preview walkthrough-steps-done extension-details-page; do
  cp "test-results/ui/$name.png" "docs/screenshots/$name.png"
done
echo "updated docs/screenshots/"
