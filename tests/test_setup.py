"""Set-up steps are skipped when their result is there and their input unchanged (issue 12,
item 7): `make build`, `make serve` and `make run` must not run `npm ci` every time.

scripts/install-web-assets.sh runs for real (real npm, the project's lock file) in a copy of
the parts it uses, so the checkout's own assets are left alone.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT

pytestmark = pytest.mark.slow
SCRIPT = Path("scripts") / "install-web-assets.sh"
VENDORED = ("yasgui/yasgui.min.js", "echarts/echarts.min.js", "swagger-ui/swagger-ui-bundle.js")


def _install(root: Path) -> str:
    done = subprocess.run(
        [str(root / SCRIPT)], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The script, the web-assets manifest and lock, and an empty static folder."""
    if shutil.which("npm") is None:
        pytest.fail("npm missing: run scripts/setup.sh")
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / SCRIPT, tmp_path / SCRIPT)
    (tmp_path / "web-assets").mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / "web-assets" / name, tmp_path / "web-assets" / name)
    (tmp_path / "src" / "lcgraph" / "web" / "static").mkdir(parents=True)
    return tmp_path


def test_web_assets_install_once_then_only_when_the_lock_file_changes(project: Path) -> None:
    vendor = project / "src" / "lcgraph" / "web" / "static" / "vendor"
    first = _install(project)
    assert "swagger-ui 5.35.0" in first
    assert all((vendor / name).is_file() for name in VENDORED)
    assert "up to date" in _install(project)
    (project / "web-assets" / "package-lock.json").touch()  # same bytes: same checksum
    assert "up to date" in _install(project)
    shutil.rmtree(vendor / "swagger-ui")  # the result is gone: installed again
    assert "swagger-ui 5.35.0" in _install(project)
    with (project / "web-assets" / "package-lock.json").open("a") as lock:
        lock.write("\n")  # other bytes, same packages: npm ci runs again
    assert "yasgui 4.6.2" in _install(project)


def test_the_checkouts_own_assets_are_up_to_date() -> None:
    """After `make setup`, a second set-up is a no-op: what `make run` does each time."""
    assert "up to date" in _install(ROOT)
