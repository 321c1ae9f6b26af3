"""Redirect targets: only local paths are ever followed."""
from urllib.parse import urlsplit


def is_safe_local_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
