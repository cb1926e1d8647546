"""Child processes the bench times: found beside this Python, run to completion, never a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"bench: cannot find the '{name}' command (run with the project's .venv)")
    return found


@dataclass
class Run:
    seconds: float
    maxrss_kib: int
    stdout: str


def run_child(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion; wall time and its own peak RSS (os.wait4), never a shell."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n".join((stdout + stderr).splitlines()[-30:])
        raise RuntimeError(f"bench: {' '.join(args)} exited {proc.returncode}:\n{tail}")
    return Run(seconds, usage.ru_maxrss, stdout)
