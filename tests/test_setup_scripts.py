"""scripts/system_packages.sh, run by scripts/setup.sh: the system packages the window needs,
checked without races and installed as root or with sudo, else printed exactly.

apt-get, ldconfig, id, sudo and python are stubs that log how they were called."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system_packages.sh"
LIBRARIES = [line.split()[0] for line in SCRIPT.read_text().split('window_libraries="')[1]
             .split('"')[0].strip().splitlines()] if SCRIPT.exists() else []


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/bash\n" + body + "\n")
    path.chmod(0o755)


def _run(tmp_path: Path, *, missing=(), uid=0, sudo="none", apt_fails=0, venv=True):  # type: ignore[no-untyped-def]
    stubs = tmp_path / "stubs"
    stubs.mkdir(exist_ok=True)
    log = tmp_path / "calls.log"
    log.write_text("")
    cache = tmp_path / "ldconfig.txt"
    # The libraries first, then a long tail: a reader that stops at its match gets the
    # writer killed by SIGPIPE, which `ldconfig -p | grep -q` under pipefail took for missing.
    present = [lib for lib in LIBRARIES if lib not in missing]
    cache.write_text("".join(f"\t{lib} (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/{lib}\n"
                             for lib in present)
                     + "".join(f"\tlibfiller{i}.so.1 (libc6,x86-64) => /usr/lib/x{i}\n"
                               for i in range(5_000)))
    _stub(stubs, "ldconfig", f'cat "{cache}"')
    counter = tmp_path / "apt-failures"
    counter.write_text(str(apt_fails))
    _stub(stubs, "apt-get", f'echo "apt-get $*" >> "{log}"\n'
          f'n=$(cat "{counter}"); if [ "$1" = install ] && [ "$n" -gt 0 ]; then\n'
          f'  echo $((n-1)) > "{counter}"; echo "E: Unable to locate package"; exit 100; fi')
    _stub(stubs, "id", f'echo {uid}')
    if sudo != "none":
        ok = "0" if sudo == "passwordless" else "1"
        _stub(stubs, "sudo", f'if [ "$1" = -n ]; then exit {ok}; fi\n'
              f'echo "sudo $*" >> "{log}"; "$@"')
    _stub(stubs, "python3", "exit 0" if venv else "exit 1")
    _stub(stubs, "tesseract", 'printf "List of available languages (3):\\neng\\nfra\\nosd\\n"')
    path = f"{stubs}:/usr/bin:/bin"
    if sudo == "none":  # the system's tools without sudo (a test machine may well have it)
        tools = tmp_path / "tools"
        tools.mkdir(exist_ok=True)
        for folder in (Path("/bin"), Path("/usr/bin")):
            for tool in folder.iterdir():
                if tool.name != "sudo" and not (tools / tool.name).exists():
                    (tools / tool.name).symlink_to(tool)
        path = f"{stubs}:{tools}"
    env = {**os.environ, "PATH": path, "PYTHON": str(stubs / "python3")}
    env.pop("DESKTOP_RAG_SYSTEM_PACKAGES", None)
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60)
    return done, log.read_text().splitlines()


def test_nothing_to_do_is_quiet_and_never_a_false_alarm(tmp_path):
    for _ in range(5):
        done, calls = _run(tmp_path)
        assert (done.returncode, done.stdout, done.stderr, calls) == (0, "", "", [])


def test_root_installs_what_the_window_lacks(tmp_path):
    # libdbus-1: found missing by scripts/fresh_machine_check.sh on a debootstrap root.
    assert {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0",
            "libEGL.so.1", "libmagic.so.1", "libdbus-1.so.3"} <= set(LIBRARIES)
    done, calls = _run(tmp_path, missing=("libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert done.returncode == 0, done.stderr
    assert calls == ["apt-get install -y -q --no-install-recommends libxcb-icccm4 libxcb-keysyms1"]
    assert done.stderr == "installing system packages: libxcb-icccm4 libxcb-keysyms1\n"


def test_a_fresh_system_reads_the_package_lists_first(tmp_path):
    done, calls = _run(tmp_path, missing=("libmagic.so.1",), apt_fails=1)
    assert done.returncode == 0, done.stderr
    assert [c.split()[1] for c in calls] == ["install", "update", "install"]


def test_python_without_venv_gets_python3_venv(tmp_path):
    done, calls = _run(tmp_path, venv=False)
    assert calls == ["apt-get install -y -q --no-install-recommends python3-venv"]


def test_a_user_with_sudo_installs_through_it(tmp_path):
    done, calls = _run(tmp_path, missing=("libxcb-keysyms.so.1",), uid=1000,
                       sudo="passwordless")
    assert done.returncode == 0
    assert calls == ["sudo apt-get install -y -q --no-install-recommends libxcb-keysyms1",
                     "apt-get install -y -q --no-install-recommends libxcb-keysyms1"]


@pytest.mark.parametrize("sudo", ["none", "needs-password"])
def test_without_rights_the_exact_command_is_printed(tmp_path, sudo):
    done, calls = _run(tmp_path, missing=("libxcb-icccm.so.4", "libxcb-keysyms.so.1"),
                       uid=1000, sudo=sudo)
    assert done.returncode == 0 and calls == []
    assert ("  sudo apt-get install -y --no-install-recommends libxcb-icccm4 libxcb-keysyms1\n"
            in done.stderr)


def test_setup_runs_it_before_creating_the_venv():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert setup.index("scripts/system_packages.sh") < setup.index("-m venv")
    assert "ldconfig -p 2>/dev/null | grep" not in setup
