"""Refuse non-loopback hosts while tests run, so no test reaches a model by accident.

The test suite sets ``SWARM_GYM_LOOPBACK_ONLY=1`` (inherited by every subprocess
it starts); every network transport calls :func:`check_host_allowed` before it
connects.
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from brain._errors import ConfigError

ENV_FLAG = "SWARM_GYM_LOOPBACK_ONLY"


def loopback_only() -> bool:
    """True when only 127.0.0.0/8, ::1 and localhost may be contacted."""
    return os.environ.get(ENV_FLAG, "") not in ("", "0")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_host_allowed(url: str) -> None:
    """Raise ConfigError if ``url`` points off this machine while loopback-only is on."""
    if not loopback_only():
        return
    host = (urlsplit(url).hostname or "").lower()
    if not _is_loopback(host):
        raise ConfigError(f"refusing to contact {host or url!r}: {ENV_FLAG} allows loopback only")
