#!/usr/bin/env bash
# Install the browser assets (YASGUI for the SPARQL editor, ECharts for /dashboard) from npm and
# hand them to the service.
#
# Why: third-party code is installed from its registry, pinned by web-assets/package-lock.json,
# and never committed. `npm ci` installs exactly the locked versions into web-assets/node_modules;
# the built files are then copied into the package's static folder (git-ignored), so the service
# serves them at /static/vendor/yasgui/ and /static/vendor/echarts/ from its own origin (no CDN) and a wheel carries them.
#
# Usage: scripts/install-web-assets.sh        (idempotent; needs node >= 18 and npm)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$ROOT/web-assets"
BUILD="$ASSETS/node_modules/@zazuko/yasgui/build"
TARGET="$ROOT/src/lcgraph/web/static/vendor/yasgui"
FILES=(yasgui.min.js yasgui.min.js.map yasgui.min.css)

command -v npm >/dev/null || { echo "install-web-assets: npm not found; install Node.js >= 18" >&2; exit 1; }

npm ci --prefix "$ASSETS" --ignore-scripts --no-audit --no-fund --loglevel=error

rm -rf "$TARGET"
mkdir -p "$TARGET"
for file in "${FILES[@]}"; do
    [[ -f "$BUILD/$file" ]] || { echo "install-web-assets: $BUILD/$file missing" >&2; exit 1; }
    cp "$BUILD/$file" "$TARGET/$file"
done
cp "$ASSETS/node_modules/@zazuko/yasgui/package.json" "$TARGET/package.json"
echo "install-web-assets: YASGUI $(node -p "require('$TARGET/package.json').version") -> ${TARGET#"$ROOT"/}"

# ECharts: the full build (the heat map is not in the "common" one), for /dashboard.
ECHARTS="$ASSETS/node_modules/echarts"
ECHARTS_TARGET="$ROOT/src/lcgraph/web/static/vendor/echarts"
rm -rf "$ECHARTS_TARGET"
mkdir -p "$ECHARTS_TARGET"
for file in dist/echarts.min.js LICENSE package.json; do
    [[ -f "$ECHARTS/$file" ]] || { echo "install-web-assets: $ECHARTS/$file missing" >&2; exit 1; }
    cp "$ECHARTS/$file" "$ECHARTS_TARGET/$(basename "$file")"
done
echo "install-web-assets: ECharts $(node -p "require('$ECHARTS_TARGET/package.json').version") -> ${ECHARTS_TARGET#"$ROOT"/}"
