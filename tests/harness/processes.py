"""Running a Python process (the bot, a simulator) in the background for e2e tests and benches.

The child gets a copy of this process's environment without any ``SLACK_*``, ``MIMECAST_*``,
``DATABASE_URL`` or ``ALLOWED_USERS`` variable (so a developer's real credentials never leak
into a test), plus the ``env`` given by the caller.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO

__all__ = ["BotProcess", "child_env", "free_port", "run"]

_SCRUBBED_PREFIXES = ("SLACK_", "MIMECAST_")
_SCRUBBED_NAMES = frozenset({"DATABASE_URL", "ALLOWED_USERS"})
_LOOPBACK = "127.0.0.1,localhost,::1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(env: Mapping[str, str]) -> dict[str, str]:
    """The scrubbed parent environment with ``env`` merged on top.

    Also sets ``PYTHONUNBUFFERED=1`` (output shows up in :meth:`BotProcess.output` promptly)
    and adds loopback to ``NO_PROXY`` so a proxy configured on the host never intercepts
    traffic between the bot and the local mocks (both unless ``env`` overrides them).
    """
    merged = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(_SCRUBBED_PREFIXES) and name.upper() not in _SCRUBBED_NAMES
    }
    merged["PYTHONUNBUFFERED"] = "1"
    for name in ("NO_PROXY", "no_proxy"):
        current = merged.get(name, "")
        merged[name] = f"{current},{_LOOPBACK}" if current else _LOOPBACK
    merged.update(env)
    return merged


def run(
    args: list[str], env: Mapping[str, str], cwd: Path | str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``[sys.executable, *args]`` to completion, output captured as text (no check)."""
    return subprocess.run(
        [sys.executable, *args],
        env=child_env(env),
        cwd=str(cwd),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class BotProcess:
    """``[sys.executable, *args]`` in the background, ready once ``health_url`` answers 200
    (or at once when there is no ``health_url``: a process that serves no HTTP)."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        cwd: Path | str,
        health_url: str | None,
    ) -> None:
        self.args = list(args)
        self.env = dict(env)
        self.cwd = Path(cwd)
        self.health_url = health_url
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._log_path: Path | None = None
        self._final_output: str | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, timeout: float = 20) -> BotProcess:
        if self._proc is not None:
            raise RuntimeError("BotProcess already started")
        fd, name = tempfile.mkstemp(prefix="botprocess-", suffix=".log")
        self._log_path = Path(name)
        self._log = os.fdopen(fd, "wb")
        self._final_output = None
        self._proc = subprocess.Popen(
            [sys.executable, *self.args],
            env=child_env(self.env),
            cwd=str(self.cwd),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() can reap its children
        )
        if self.health_url is None:
            return self
        deadline = time.monotonic() + timeout
        last_error = "no attempt"
        while True:
            if _has_exited(self._proc):
                code = self.stop()
                raise RuntimeError(
                    f"process {self.args} exited with code {code} before {self.health_url} "
                    f"was healthy. Output:\n{self.output()}"
                )
            status, last_error = _probe(self.health_url)
            if status == 200:
                return self
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(
                    f"process {self.args} not healthy at {self.health_url} within {timeout}s "
                    f"(last: {last_error}). Output:\n{self.output()}"
                )
            time.sleep(0.05)

    def stop(self, timeout: float = 10) -> int | None:
        """SIGTERM, wait up to ``timeout`` s, then SIGKILL. Returns the exit code.

        The process runs in its own session; whatever it left behind in its process group
        (e.g. workers) is killed too. The group is signalled only while the leader is not yet
        reaped, so its id cannot have been reused by an unrelated process.
        """
        proc = self._proc
        if proc is None:
            return None
        if proc.returncode is None:
            if not _has_exited(proc):
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
                if not _wait_exited(proc, timeout):
                    _kill_group(proc.pid)
                    _wait_exited(proc, 5)
            _kill_group(proc.pid)  # leftovers; the leader is a zombie, the id is still ours
            proc.wait(timeout=5)
        self._finish()
        return proc.returncode

    def __enter__(self) -> BotProcess:
        return self.start() if self._proc is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- inspection ---------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        """Exit code once stopped (``None`` while running or before :meth:`stop`)."""
        return self._proc.returncode if self._proc is not None else None

    def is_running(self) -> bool:
        return self._proc is not None and not _has_exited(self._proc)

    def output(self) -> str:
        """Everything the process wrote to stdout and stderr so far (also after stop)."""
        if self._final_output is not None:
            return self._final_output
        if self._log_path is None:
            return ""
        if self._log is not None:
            self._log.flush()
        try:
            return self._log_path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def _finish(self) -> str:
        """Keep the output in memory, close and delete the log file."""
        if self._final_output is None:
            self._final_output = self.output()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None
        return self._final_output


def _has_exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether ``proc`` has exited, without reaping it (its pid stays reserved)."""
    if proc.returncode is not None:
        return True
    try:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:  # already reaped elsewhere
        return True
    return info is not None


def _wait_exited(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not _has_exited(proc):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def _probe(url: str) -> tuple[int | None, str]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return int(response.status), "200"
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        return None, repr(exc)
