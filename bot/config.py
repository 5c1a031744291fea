"""Settings of the Discord bot, read from the environment, a `.env` file and an optional YAML file.

Precedence, highest first: environment variables, the `.env` file, the config file (`--config FILE`
or `CMF_BOT_CONFIG`), then the defaults below. The token is only ever read from the environment or
`.env` (never from the config file, which is more likely to be shared), and is masked in `repr`.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://discord.com/api/v10"
DEFAULT_GATEWAY_URL = "wss://gateway.discord.gg/"
DEFAULT_MODERATOR_ROLE = "Moderator"
DEFAULT_ASK_COOLDOWN = "3/60"
DEFAULT_FREETEXT_COOLDOWN = "3/60"
DEFAULT_MAX_QUESTION_CHARS = 500

CONFIG_ENV = "CMF_BOT_CONFIG"

# setting name -> (environment variable, key in the YAML config file)
_SOURCES: dict[str, tuple[str, str]] = {
    "guild_ids": ("CMF_BOT_GUILD_IDS", "guild_ids"),
    "help_channel_ids": ("CMF_BOT_HELP_CHANNEL_IDS", "help_channel_ids"),
    "moderator_role": ("CMF_BOT_MODERATOR_ROLE", "moderator_role"),
    "ask_cooldown": ("CMF_BOT_ASK_COOLDOWN", "ask_cooldown"),
    "freetext_cooldown": ("CMF_BOT_FREETEXT_COOLDOWN", "freetext_cooldown"),
    "max_question_chars": ("CMF_BOT_MAX_QUESTION_CHARS", "max_question_chars"),
    "api_base": ("DISCORD_API_BASE", "api_base"),
    "gateway_url": ("DISCORD_GATEWAY_URL", "gateway_url"),
    "db_path": ("CMF_BOT_DB", "db"),
    "sync_commands": ("CMF_BOT_SYNC_COMMANDS", "sync_commands"),
    "shard_count": ("CMF_BOT_SHARD_COUNT", "shard_count"),
    "shard_ids": ("CMF_BOT_SHARD_IDS", "shard_ids"),
    "health_interval": ("CMF_BOT_HEALTH_INTERVAL", "health_interval"),
    "catalogue_sync_sources": ("CMF_BOT_SYNC_SOURCES", "sync_sources"),
    "catalogue_sync_interval": ("CMF_BOT_SYNC_INTERVAL", "sync_interval"),
}

SYNC_MODES = ("changed", "always", "never")
"""When `cmf-bot run` syncs the slash commands at start: only when the command tree changed since the
last sync (stored in the database), at every start, or never (then only the owner's `sync` command)."""
AUTO_SHARDS = 0
"""`shard_count` value meaning "as many shards as Discord recommends" (CMF_BOT_SHARD_COUNT=auto)."""


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the setting and never its secret value."""


@dataclass(frozen=True)
class Cooldown:
    """`rate` uses per `per` seconds, per user."""

    rate: int
    per: float

    def __str__(self) -> str:
        return f"{self.rate}/{self.per:g}"


@dataclass(frozen=True)
class Settings:
    token: str | None = field(default=None, repr=False)
    guild_ids: tuple[int, ...] = ()
    """Guilds to sync the slash commands to (instant); empty means a global sync."""
    help_channel_ids: tuple[int, ...] = ()
    """Channels where the bot answers free text (needs the Message Content intent)."""
    moderator_role: str = DEFAULT_MODERATOR_ROLE
    """Name or id of the role allowed to edit the knowledge base."""
    ask_cooldown: Cooldown = Cooldown(3, 60)
    freetext_cooldown: Cooldown = Cooldown(3, 60)
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    api_base: str = DEFAULT_API_BASE
    gateway_url: str = DEFAULT_GATEWAY_URL
    db_path: str | None = None
    """SQLite file; None means the engine's default (see bot/engine/paths.py)."""
    sync_commands: str = "changed"
    """One of `SYNC_MODES`."""
    shard_count: int | None = None
    """None: one gateway connection (`commands.Bot`); a number: `AutoShardedBot` with that many
    shards; `AUTO_SHARDS` (0): as many as Discord recommends."""
    shard_ids: tuple[int, ...] = ()
    """The shards this process runs (empty: all of them); needs a `shard_count`."""
    health_interval: float = 300.0
    """Seconds between two "health" log lines; 0 turns them off."""
    catalogue_sync_sources: str | None = None
    """The catalogue sources file (deploy/sync-sources.yaml's format); None: no scheduled catalogue sync."""
    catalogue_sync_interval: float = 21_600.0
    """Seconds between two scheduled catalogue syncs (bot/exts/catalogue_sync.py); 0 turns them off."""

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}" for name in self.__dataclass_fields__ if name != "token"
        )
        return f"Settings(token={'***' if self.token else None}, {shown})"

    @property
    def needs_message_content(self) -> bool:
        return bool(self.help_channel_ids)

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError("DISCORD_TOKEN is not set (put it in the environment or in a .env file)")
        return self.token


def parse_dotenv(text: str) -> dict[str, str]:
    """`KEY=value` lines; `#` comments, `export ` prefixes and single or double quotes allowed."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ConfigError(f".env line {number}: expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def _ids(name: str, raw: Any) -> tuple[int, ...]:
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,]+", str(raw).strip())
    out: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or not 0 < int(text) < 2**64:
            raise ConfigError(f"{name}: {text[:40]!r} is not a Discord id (a number such as 1234567890)")
        out.append(int(text))
    return tuple(dict.fromkeys(out))


def parse_cooldown(name: str, raw: Any) -> Cooldown:
    """`"3/60"` means 3 uses per 60 seconds; `"0/60"` or `"off"` turns the cooldown off."""
    text = str(raw).strip().lower()
    if text in ("off", "none", "0"):
        return Cooldown(0, 1)
    match = re.fullmatch(r"(\d+)\s*/\s*(\d+(?:\.\d+)?)", text)
    if not match or float(match[2]) <= 0:
        raise ConfigError(f"{name}: {text[:40]!r} is not a cooldown; write uses/seconds, e.g. 3/60, or off")
    return Cooldown(int(match[1]), float(match[2]))


def _url(name: str, raw: Any, schemes: tuple[str, ...]) -> str:
    text = str(raw).strip()
    if not re.fullmatch(r"[a-z]+://[^\s/]+(/\S*)?", text) or text.split("://")[0] not in schemes:
        raise ConfigError(f"{name}: {text[:80]!r} is not a URL starting with {' or '.join(schemes)}://")
    return text


def _positive_int(name: str, raw: Any) -> int:
    text = str(raw).strip()
    if not text.isdigit() or not 0 < int(text) <= 4000:
        raise ConfigError(f"{name}: {text[:40]!r} must be a whole number between 1 and 4000")
    return int(text)


def _shard_count(name: str, raw: Any) -> int:
    text = str(raw).strip().lower()
    if text == "auto":
        return AUTO_SHARDS
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise ConfigError(f"{name}: {text[:40]!r} must be auto or a number of shards from 1 to 10000")
    return int(text)


def _seconds(name: str, raw: Any) -> float:
    text = str(raw).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86_400:
        raise ConfigError(f"{name}: {text[:40]!r} must be a number of seconds from 0 to 86400 (0: off)")
    return value


def read_dotenv(path: Path) -> dict[str, str]:
    """The dotenv file's values. Not UTF-8 → ConfigError; readable by every user of the machine → one
    warning line (it holds the token: `chmod 600`), not a refusal, so a first run still starts."""
    try:
        data = path.read_bytes()
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    if mode & stat.S_IROTH:
        log.warning(
            "%s is readable by every user of this machine and holds the token: chmod 600 %s", path, path
        )
    return parse_dotenv(text)


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The YAML config file as a mapping of the keys in `_SOURCES`; unknown keys are an error."""
    import yaml

    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
        if any(
            isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None)
            for event in yaml.parse(text, Loader=yaml.SafeLoader)
        ):
            raise ConfigError(f"config file {file}: YAML anchors and aliases (&name, *name) are not allowed")
        data = yaml.safe_load(text) or {}
    except OSError as exc:
        raise ConfigError(f"config file {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {file}: not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {file}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {file}: expected a mapping of settings")
    if "token" in data or "DISCORD_TOKEN" in data:
        raise ConfigError(f"config file {file}: do not put the token here; use DISCORD_TOKEN or .env")
    known = {key for _, key in _SOURCES.values()}
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ConfigError(f"config file {file}: unknown setting(s) {', '.join(unknown)}")
    return data


def _sync_mode(label: str, value: Any) -> str:
    mode = str(value).strip().lower()
    if mode not in SYNC_MODES:
        raise ConfigError(f"{label}: {mode[:40]!r} must be one of {', '.join(SYNC_MODES)}")
    return mode


def _role(label: str, value: Any) -> str:
    role = str(value).strip()
    if not role or len(role) > 100:
        raise ConfigError(f"{label}: give a role name or id (1-100 characters)")
    return role


def _shard_ids(label: str, value: Any) -> tuple[int, ...]:
    return tuple(dict.fromkeys(_shard_id(label, item) for item in _items(value)))


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "guild_ids": _ids,
    "help_channel_ids": _ids,
    "ask_cooldown": parse_cooldown,
    "freetext_cooldown": parse_cooldown,
    "max_question_chars": _positive_int,
    "api_base": lambda label, value: _url(label, value, ("http", "https")).rstrip("/"),
    "gateway_url": lambda label, value: _url(label, value, ("ws", "wss")),
    "sync_commands": _sync_mode,
    "shard_count": _shard_count,
    "shard_ids": _shard_ids,
    "health_interval": _seconds,
    "catalogue_sync_interval": _seconds,
    "moderator_role": _role,
}
"""How each setting's raw value is checked and converted; any other setting is a stripped string."""


def _raw_settings(
    merged_env: Mapping[str, str], file_values: Mapping[str, Any]
) -> dict[str, tuple[str, Any]]:
    """Each setting's `(label, raw value)`: the environment (or `.env`) wins over the config file."""
    raw: dict[str, tuple[str, Any]] = {}
    for name, (env_name, key) in _SOURCES.items():
        if merged_env.get(env_name, "").strip():
            raw[name] = (env_name, merged_env[env_name])
        elif file_values.get(key) is not None:
            raw[name] = (key, file_values[key])
    return raw


def _check_shards(values: Mapping[str, Any]) -> None:
    shard_ids = values.get("shard_ids", ())
    if shard_ids:
        count = values.get("shard_count")
        if not count:
            raise ConfigError("CMF_BOT_SHARD_IDS needs a fixed CMF_BOT_SHARD_COUNT (a number, not auto)")
        if max(shard_ids) >= count:
            raise ConfigError(f"CMF_BOT_SHARD_IDS: shard ids run from 0 to {count - 1}")


def load_settings(
    env: Mapping[str, str] | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    dotenv: str | os.PathLike[str] | None = ".env",
) -> Settings:
    """Build `Settings`; raises `ConfigError` with a one-line message for any bad value."""
    environ = dict(os.environ if env is None else env)
    dotenv_values: dict[str, str] = {}
    if dotenv and Path(dotenv).is_file():
        dotenv_values = read_dotenv(Path(dotenv))
    merged_env = {**dotenv_values, **environ}
    chosen_file = config_file or merged_env.get(CONFIG_ENV)
    file_values = read_config_file(chosen_file) if chosen_file else {}

    values: dict[str, Any] = {"token": (merged_env.get("DISCORD_TOKEN") or "").strip() or None}
    for name, (label, value) in _raw_settings(merged_env, file_values).items():
        parse = _PARSERS.get(name)
        values[name] = parse(label, value) if parse else str(value).strip()
    _check_shards(values)
    return Settings(**values)


def _items(raw: Any) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,]+", str(raw).strip())
    return [str(item).strip() for item in items if str(item).strip()]


def _shard_id(name: str, text: str) -> int:
    if not text.isdigit():
        raise ConfigError(f"{name}: {text[:40]!r} is not a shard id (0, 1, 2 …)")
    return int(text)
