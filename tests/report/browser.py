"""Open a page in headless Chromium over the DevTools pipe: console errors, render status, screenshot.

Uses ``--remote-debugging-pipe`` (fd 3 in, fd 4 out, NUL-separated JSON), so no websocket library
and no open port are needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--disable-extensions",
         "--remote-debugging-pipe")
INSTALL_HINT = "install it with: sudo apt-get update && sudo apt-get install -y chromium"


@dataclass(frozen=True, slots=True)
class PageCheck:
    """What the browser saw: the page's render status, drawn charts, errors and outside requests."""

    status: dict
    charts_drawn: int
    svg_charts: int
    console_errors: tuple[str, ...]
    remote_requests: tuple[str, ...]
    empty_message: bool
    screenshot: Path


def find_chromium() -> str | None:
    """Return the Chromium executable on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class _Pipe:
    """A DevTools protocol connection over the browser's fd 3/4 pipe."""

    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int) -> None:
        """Start reading messages from the browser in a thread."""
        self.proc, self.write_fd, self.read_fd = proc, write_fd, read_fd
        self.messages: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Split the browser's output into JSON messages."""
        buffer = b""
        while chunk := os.read(self.read_fd, 65536):
            buffer += chunk
            *complete, buffer = buffer.split(b"\0")
            for raw in complete:
                self.messages.put(json.loads(raw))

    def send(self, method: str, params: dict | None = None, *, session: str | None = None, timeout_s: float = 30) -> dict:
        """Send one command and wait for its result, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout_s
        while True:
            reply = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)


def _launch(chromium: str, *, user_data_dir: Path, width: int, height: int) -> tuple[subprocess.Popen, int, int]:
    """Start Chromium with its DevTools pipe on fds 3 and 4; return the process and our pipe ends."""
    to_browser_r, to_browser_w = os.pipe()
    from_browser_r, from_browser_w = os.pipe()
    # Move the child's ends above 10 first so the dup2 onto 3 and 4 cannot clobber them.
    child_in = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 10)
    child_out = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 10)

    def place_fds() -> None:
        """In the child: put the pipe ends where Chromium expects them."""
        os.dup2(child_in, 3)
        os.dup2(child_out, 4)

    args = [chromium, *FLAGS, f"--user-data-dir={user_data_dir}", f"--window-size={width},{height}", "about:blank"]
    proc = subprocess.Popen(args, preexec_fn=place_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for fd in (to_browser_r, from_browser_w, child_in, child_out):
        os.close(fd)
    return proc, to_browser_w, from_browser_r


def _event_errors(events: list[dict]) -> tuple[list[str], list[str]]:
    """Collect console errors, uncaught exceptions, error log entries and non-local requests."""
    errors, remote = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(f"{params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:", "blob:")):
                remote.append(url)
    return errors, remote


def check_page(url: str, *, chromium: str, screenshot: Path, user_data_dir: Path, width: int = 1400,
               height: int = 3000, timeout_s: float = 60) -> PageCheck:
    """Load ``url``, wait until every chart reports drawn or failed, and take a screenshot."""
    proc, write_fd, read_fd = _launch(chromium, user_data_dir=user_data_dir, width=width, height=height)
    try:
        pipe = _Pipe(proc, write_fd, read_fd)
        target = next(t for t in pipe.send("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = pipe.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page", "Network"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send("Page.navigate", {"url": url}, session=session)
        status: dict = {}
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            probe = ("JSON.stringify(Object.assign({}, (document.getElementById('render-status') || {}).dataset || {}))")
            value = pipe.send("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=session)
            status = json.loads(value["result"].get("value") or "{}")
            if status.get("done") == "1":
                break
            time.sleep(0.2)
        counts = pipe.send("Runtime.evaluate", {"returnByValue": True, "expression": (
            "JSON.stringify({drawn: document.querySelectorAll('.vis[data-rendered=\"1\"]').length,"
            " svg: document.querySelectorAll('.vis svg.marks').length,"
            " empty: !!document.getElementById('empty-selection')})")}, session=session)
        counts = json.loads(counts["result"]["value"])
        shot = pipe.send("Page.captureScreenshot", {"format": "png"}, session=session)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        errors, remote = _event_errors(pipe.events)
        try:
            pipe.send("Browser.close", timeout_s=5)
        except (RuntimeError, queue.Empty):
            pass
        return PageCheck(status=status, charts_drawn=counts["drawn"], svg_charts=counts["svg"],
                         console_errors=tuple(errors), remote_requests=tuple(remote),
                         empty_message=counts["empty"], screenshot=screenshot)
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(write_fd)
        os.close(read_fd)
