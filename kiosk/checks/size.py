"""The request-body size check (code 23: the whole body over 6 MB)."""

from __future__ import annotations

from kiosk.checks import messages
from kiosk.checks import thresholds as lim
from kiosk.checks.findings import Finding, finding


def check_body_size(total_bytes: int) -> list[Finding]:
    """Block a request body over the service's limit (23); warn when it comes close."""
    megabytes = total_bytes / 1_000_000
    if total_bytes > lim.BODY_LIMIT_BYTES:
        return [finding(23, "block", total_bytes, lim.BODY_LIMIT_BYTES,
                        messages.BODY_TOO_LARGE(megabytes=megabytes))]
    if total_bytes > lim.BODY_WARN_BYTES:
        return [finding(23, "warn", total_bytes, lim.BODY_LIMIT_BYTES,
                        messages.BODY_NEAR_LIMIT(megabytes=megabytes))]
    return []
