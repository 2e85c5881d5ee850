#!/usr/bin/env bash
# `npm run package`: the VSIX, with README.marketplace.md (the page for users) as its README.
#
# VS Code's extension details page shows only https images: it drops relative and data: image
# sources from an installed extension's README. vsce therefore rewrites the page's relative image
# paths (docs/screenshots/…) to absolute ones under AMB_README_IMAGES_URL, e.g. the repository's raw
# URL; without it the links stay relative (right on GitHub, image-less in the editor).
#   AMB_README_IMAGES_URL=https://host/path/ AMB_VSIX_OUT=out/x.vsix npm run package
set -euo pipefail
cd "$(dirname "$0")/.."
args=(package --no-dependencies --allow-missing-repository --readme-path README.marketplace.md
  --out "${AMB_VSIX_OUT:-out/atlassian-mcp-bridge.vsix}")
if [[ -n "${AMB_README_IMAGES_URL:-}" ]]; then
  args+=(--baseImagesUrl "$AMB_README_IMAGES_URL")
else
  args+=(--no-rewrite-relative-links)
fi
exec bash scripts/toolchain.sh exec node_modules/.bin/vsce "${args[@]}"
