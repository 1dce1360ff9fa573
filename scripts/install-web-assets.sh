#!/usr/bin/env bash
# Install the browser assets of the SPARQL editor (YASGUI) from npm and hand them to the service.
#
# Why: third-party code is installed from its registry, pinned by web-assets/package-lock.json,
# and never committed. `npm ci` installs exactly the locked versions into web-assets/node_modules;
# the built files are then copied into the package's static folder (git-ignored), so the service
# serves them at /static/vendor/yasgui/ from its own origin (no CDN) and a wheel carries them.
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
