#!/usr/bin/env bash
# `npm run package`: the VSIX, with README.marketplace.md (the page for users) as its README.
#
# VS Code's extension details page shows only https images: it drops relative and data: image
# sources from an installed extension's README. vsce therefore rewrites the page's relative image
# paths (docs/screenshots/…) to absolute ones: under AMB_README_IMAGES_URL when set, else under the
# GitHub/GitLab raw URL of package.json's "repository" when there is one. With neither there is no
# https home for the screenshots, so the packaged page goes without them rather than show broken images.
#   AMB_README_IMAGES_URL=https://host/path/ AMB_VSIX_OUT=out/x.vsix npm run package
set -euo pipefail
cd "$(dirname "$0")/.."
readme=README.marketplace.md
args=(package --no-dependencies --allow-missing-repository --out "${AMB_VSIX_OUT:-out/atlassian-mcp-bridge.vsix}")
if [[ -n "${AMB_README_IMAGES_URL:-}" ]]; then
  args+=(--baseImagesUrl "$AMB_README_IMAGES_URL")
elif ! node -e 'process.exit(require("./package.json").repository ? 0 : 1)'; then
  mkdir -p out
  readme=out/README.marketplace.md
  grep -v '^!\[[^]]*\]([^)]*)$' README.marketplace.md >"$readme"
  args+=(--no-rewrite-relative-links)
fi
exec bash scripts/toolchain.sh exec node_modules/.bin/vsce "${args[@]}" --readme-path "$readme"
