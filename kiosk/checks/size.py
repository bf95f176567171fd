"""The request-body size check (code 23: the whole body over 6 MB)."""

from __future__ import annotations

from kiosk.checks import thresholds as lim
from kiosk.checks.findings import Finding


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_body_size(total_bytes: int) -> list[Finding]:
    """Block a request body over the service's limit (23); warn when it comes close."""
    if total_bytes > lim.BODY_LIMIT_BYTES:
        return [Finding(23, "block", total_bytes, lim.BODY_LIMIT_BYTES,
                        f"上传内容 {_mb(total_bytes)}，超过服务的 6 MB 上限。"
                        "请缩短视频、降低分辨率或压缩照片后重试。",
                        f"The upload would be {_mb(total_bytes)}, over the service's 6 MB limit. "
                        "Record a shorter or smaller clip, or use a smaller photo, and try again.")]
    if total_bytes > lim.BODY_WARN_BYTES:
        return [Finding(23, "warn", total_bytes, lim.BODY_LIMIT_BYTES,
                        f"上传内容 {_mb(total_bytes)}，接近 6 MB 上限。建议缩短视频。",
                        f"The upload would be {_mb(total_bytes)}, close to the 6 MB limit. "
                        "A shorter clip is safer.")]
    return []
