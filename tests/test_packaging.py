"""The parts of packaging/ that run without building the bundle: the menu entry its installer
writes, and the icon the window and the menu use. packaging/test_bundle.sh tests the bundle."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"


def exec_argv(entry: Path) -> list[str]:
    """The Exec key as the Desktop Entry spec has a launcher read it: the string's escapes,
    then arguments split on spaces outside double quotes, where a backslash escapes one of
    " ` $ \\, then %% as a literal %."""
    value = next(v for k, _, v in (ln.partition("=") for ln in entry.read_text().splitlines())
                 if k == "Exec")
    value = re.sub(r"\\(.)", lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(
        m[1], m[1] if m[1] == "\\" else "\\" + m[1]), value)
    args = re.findall(r'"((?:[^"\\]|\\.)*)"|(\S+)', value)
    return [re.sub(r'\\([`"$\\])', r"\1", quoted).replace("%%", "%") if quoted
            else bare.replace("%%", "%") for quoted, bare in args]


@pytest.fixture
def unpacked(tmp_path: Path) -> Path:
    """The bundle's extra files as the tar.gz lays them out, in a folder a user might pick."""
    folder = tmp_path / "My Apps $HOME 100%" / "desktop-rag"
    folder.mkdir(parents=True)
    for name in ("desktop-rag.desktop", "install-desktop-entry.sh", "README.txt"):
        shutil.copy(LINUX / name, folder)
    shutil.copy(ROOT / "src/desktop_rag/qt/icons/desktop-rag.png", folder)
    shutil.copy(ROOT / "resources/desktop-rag.svg", folder)
    return folder


def test_menu_entry_runs_the_bundled_window_wherever_it_is(unpacked: Path, tmp_path: Path):
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run(["sh", str(unpacked / "install-desktop-entry.sh")], env=env, check=True,
                   capture_output=True)
    entry = home / ".local/share/applications/desktop-rag.desktop"
    assert exec_argv(entry) == [str(unpacked / "desktop-rag-app")]
    assert (home / ".local/share/icons/hicolor/256x256/apps/desktop-rag.png").exists()
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(entry)], check=True)

    subprocess.run(["sh", str(unpacked / "install-desktop-entry.sh"), "--uninstall"], env=env,
                   check=True, capture_output=True)
    assert not entry.exists()


def test_window_icon_is_a_256_pixel_png():
    data = (ROOT / "src/desktop_rag/qt/icons/desktop-rag.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (256, 256)
