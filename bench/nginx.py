"""Runs deploy/nginx.conf, as an operator would, in front of given server processes on loopback.

Used by the multi-process benchmark (bench/processes.py) and the tests behind nginx
(tests/e2e/test_behind_nginx.py). Only the upstream list and the listening port are
changed; everything else is the configuration the README tells an operator to use.
"""

import os
import re
import resource
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx.conf"


def binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.path.exists(found) else None


def site_config(upstreams: list[str], port: int, reuseport: bool = False, media_root: Path | None = None) -> str:
    site = CONFIG.read_text()
    listed = "\n".join(f"    server {u} max_fails=3 fail_timeout=5s;" for u in upstreams)
    site = re.sub(r"(    server 127\.0\.0\.1:800[12][^\n]*\n)+", listed + "\n", site)
    if media_root is not None:
        site = site.replace("alias /srv/liveblog/media/;", f"alias {media_root}/;")
    return site.replace("listen 8000;", f"listen 127.0.0.1:{port}{' reuseport' if reuseport else ''};")


def start(
    folder: Path, upstreams: list[str], port: int, *, workers: int = 1, worker_connections: int = 4096,
    media_root: Path | None = None,
) -> subprocess.Popen:  # fmt: skip
    """nginx in the foreground with its files in `folder`, listening on 127.0.0.1:`port`; returns once it listens.

    With several workers, the kernel spreads new connections over them evenly (reuseport), so
    none runs out of descriptors while another idles. Pictures are served from `media_root` if given.
    """
    nginx = binary()
    if nginx is None:
        raise RuntimeError("nginx is missing: run bin/setup")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(site_config(upstreams, port, reuseport=workers > 1, media_root=media_root))
    temp = folder / "temp"
    temp.mkdir(exist_ok=True)
    # Each proxied socket holds two connections; the descriptor limit must cover them, within the hard limit.
    descriptors = min(2 * worker_connections + 64, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
    (folder / "nginx.conf").write_text(
        f"worker_processes {workers};\nworker_rlimit_nofile {descriptors};\n"
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"events {{ worker_connections {worker_connections}; }}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  include {folder}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(folder / 'error.log').read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"nginx did not listen on {port}")
