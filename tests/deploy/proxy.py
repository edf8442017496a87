"""The real nginx (Debian's /usr/sbin/nginx) in front of replicas, for the deploy tests and the
replica benchmark: the shipped template rendered by deploy/nginx-conf.sh, run in a folder of its own.

    with nginx_proxy(["127.0.0.1:40001", "127.0.0.1:40002"]) as proxy:   # proxy.url: http://127.0.0.1:40123
        requests.get(proxy.url + "/sparql", params={"query": "ASK {}"})
        proxy.access_log()   # nginx's log lines so far: cache status, replica(s) tried, their statuses
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class NginxMissing(RuntimeError):
    """nginx is not installed (Debian's `nginx`; .ci/run installs it)."""


@dataclass(frozen=True)
class Proxy:
    """A running nginx: its base URL and its folder (-p: cache, log, configuration)."""

    url: str
    folder: Path

    def access_log(self) -> list[str]:
        """The access log's lines (nginx writes its buffer out at most 1 s after a request)."""
        path = self.folder / "access.log"
        return path.read_text().splitlines() if path.is_file() else []


@contextmanager
def nginx_proxy(replicas: Sequence[str], port: int | None = None) -> Iterator[Proxy]:
    """Run nginx with deploy/nginx.conf for `replicas` (host:port each) on a free loopback port (or
    `port`). Stopped on exit (SIGQUIT: graceful; then SIGKILL of its own process group)."""
    if not Path(NGINX).is_file():
        raise NginxMissing(f"{NGINX} not found: install Debian's nginx (apt-get install nginx; .ci/run does)")
    port = port or free_port()
    # mkdtemp, not pytest's tmp_path: as root nginx's workers run as `nobody`, who must reach the
    # cache folder (pytest's folders are 0700), so the folder is opened to others' traversal.
    folder = Path(tempfile.mkdtemp(prefix="kgraph-nginx-"))
    folder.chmod(0o755)
    rendered = subprocess.run([str(ROOT / "deploy" / "nginx-conf.sh"), f"127.0.0.1:{port}", *replicas],
                              capture_output=True, text=True, check=True)
    conf = folder / "nginx.conf"
    conf.write_text(rendered.stdout)
    log = open(folder / "stderr.log", "wb")
    command = [NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 15
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited with {process.returncode}:\n{(folder / 'stderr.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not listen within 15 s") from None
                time.sleep(0.05)
        yield Proxy(f"http://127.0.0.1:{port}", folder)
    finally:
        if process.poll() is None:
            process.send_signal(3)  # SIGQUIT: finish the requests in flight, then stop
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(5)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
