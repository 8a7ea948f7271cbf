"""Embed links become plain link cards: no third-party script ever runs."""

from dataclasses import dataclass
from urllib.parse import urlsplit

KNOWN_HOSTS = {
    "x.com": ("Post on X", "social"),
    "twitter.com": ("Post on X", "social"),
    "bsky.app": ("Post on Bluesky", "social"),
    "instagram.com": ("Post on Instagram", "social"),
    "facebook.com": ("Post on Facebook", "social"),
    "threads.net": ("Post on Threads", "social"),
    "tiktok.com": ("Video on TikTok", "video"),
    "youtube.com": ("Video on YouTube", "video"),
    "youtu.be": ("Video on YouTube", "video"),
    "vimeo.com": ("Video on Vimeo", "video"),
}


@dataclass(frozen=True)
class EmbedCard:
    url: str
    label: str
    kind: str
    host: str


def embed_card(url: str) -> EmbedCard | None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.").removeprefix("m.")
    label, kind = KNOWN_HOSTS.get(host, (f"Link to {host}", "link"))
    return EmbedCard(url=url, label=label, kind=kind, host=host)
