#!/usr/bin/env bash
# Set up a fresh machine for lcgraph: system packages, the virtualenv, the web assets.
# Idempotent: each step is skipped when its result is already there.
#   scripts/setup.sh          what `lcgraph build` and `lcgraph serve` need
#   scripts/setup.sh --test   also what the tests need (Chromium for the browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
command -v java >/dev/null || apt_packages+=(default-jre-headless)   # HermiT reasoner
command -v npm >/dev/null || apt_packages+=(nodejs npm)               # YASGUI from npm
if [[ "${1:-}" == "--test" ]]; then
  command -v chromium >/dev/null || apt_packages+=(chromium)           # browser tests
fi
if ((${#apt_packages[@]})); then
  echo "setup: installing ${apt_packages[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
if [[ ! -f .venv/.installed ]] || [[ pyproject.toml -nt .venv/.installed ]]; then
  .venv/bin/python -m pip install -q --upgrade "pip>=25.1"
  .venv/bin/python -m pip install -q -e . --group dev
  touch .venv/.installed
fi

if [[ -x scripts/install-web-assets.sh ]]; then
  scripts/install-web-assets.sh
fi
