#!/usr/bin/env bash
# Install the browser assets (YASGUI for the SPARQL editor, ECharts for /dashboard, Swagger UI
# for /api/docs) from npm and hand them to the service.
#
# Why: third-party code is installed from its registry, pinned by web-assets/package-lock.json,
# and never committed. `npm ci` installs exactly the locked versions into web-assets/node_modules;
# the built files are then copied into the package's static folder (git-ignored), so the service
# serves them at /static/vendor/<name>/ from its own origin (no CDN) and a wheel carries them.
# Install scripts are never run (`--ignore-scripts`): swagger-ui-dist's dependency @scarf/scarf
# would otherwise report the install to its vendor.
#
# Skipped when its result is there: the stamp in node_modules holds the SHA-256 of the
# package-lock.json that was installed, and every vendored folder is present.
#
# Usage: scripts/install-web-assets.sh        (idempotent; needs node >= 18 and npm)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSETS="$ROOT/web-assets"
VENDOR="$ROOT/src/lcgraph/web/static/vendor"
STAMP="$ASSETS/node_modules/.lcgraph-installed"
PACKAGES=(yasgui echarts swagger-ui)

lock_sum="$(sha256sum "$ASSETS/package-lock.json" | cut -d' ' -f1)"
up_to_date() {
    [[ -f "$STAMP" && "$(cat "$STAMP")" == "$lock_sum" ]] || return 1
    for name in "${PACKAGES[@]}"; do
        [[ -f "$VENDOR/$name/package.json" ]] || return 1
    done
}
if up_to_date; then
    echo "install-web-assets: up to date (package-lock.json unchanged)"
    exit 0
fi

command -v npm >/dev/null || { echo "install-web-assets: npm not found; install Node.js >= 18" >&2; exit 1; }
npm ci --prefix "$ASSETS" --ignore-scripts --no-audit --no-fund --loglevel=error

# vendor NAME PACKAGE FILE...: copy FILEs (paths inside node_modules/PACKAGE) and the
# package's package.json into static/vendor/NAME/.
vendor() {
    local name="$1" package="$ASSETS/node_modules/$2"
    shift 2
    local target="$VENDOR/$name"
    rm -rf "$target"
    mkdir -p "$target"
    for file in "$@" package.json; do
        [[ -f "$package/$file" ]] || { echo "install-web-assets: $package/$file missing" >&2; exit 1; }
        cp "$package/$file" "$target/$(basename "$file")"
    done
    echo "install-web-assets: $name $(node -p "require('$target/package.json').version") -> ${target#"$ROOT"/}"
}

vendor yasgui @zazuko/yasgui build/yasgui.min.js build/yasgui.min.js.map build/yasgui.min.css
# ECharts: the full build (the heat map is not in the "common" one), for /dashboard.
vendor echarts echarts dist/echarts.min.js LICENSE
# Swagger UI: the bundle that defines SwaggerUIBundle, as FastAPI's docs page expects.
vendor swagger-ui swagger-ui-dist swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE

echo "$lock_sum" >"$STAMP"
