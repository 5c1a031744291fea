"""bot.config: settings from the environment, .env and a YAML file; clear errors; the token stays secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import (
    AUTO_SHARDS,
    DEFAULT_API_BASE,
    DEFAULT_GATEWAY_URL,
    ConfigError,
    Cooldown,
    Settings,
    load_settings,
    parse_cooldown,
    parse_dotenv,
)


def test_defaults_with_an_empty_environment(tmp_path: Path) -> None:
    s = load_settings({}, dotenv=tmp_path / "missing.env")
    assert s == Settings()
    assert s.token is None and s.guild_ids == () and s.help_channel_ids == ()
    assert s.moderator_role == "Moderator"
    assert s.ask_cooldown == Cooldown(3, 60) and s.freetext_cooldown == Cooldown(3, 60)
    assert s.api_base == DEFAULT_API_BASE and s.gateway_url == DEFAULT_GATEWAY_URL
    assert not s.needs_message_content
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        s.require_token()


def test_environment_values_are_parsed(tmp_path: Path) -> None:
    env = {
        "DISCORD_TOKEN": "abc.def",
        "CMF_BOT_GUILD_IDS": "111, 222 111",
        "CMF_BOT_HELP_CHANNEL_IDS": "333",
        "CMF_BOT_MODERATOR_ROLE": "Helpers",
        "CMF_BOT_ASK_COOLDOWN": "5/30",
        "CMF_BOT_FREETEXT_COOLDOWN": "off",
        "DISCORD_API_BASE": "http://127.0.0.1:8080/api/v10/",
        "DISCORD_GATEWAY_URL": "ws://127.0.0.1:8080/",
        "CMF_BOT_DB": "/tmp/x.sqlite3",
        "CMF_BOT_MAX_QUESTION_CHARS": "200",
    }
    s = load_settings(env, dotenv=None)
    assert s.require_token() == "abc.def"
    assert s.guild_ids == (111, 222) and s.help_channel_ids == (333,) and s.needs_message_content
    assert s.moderator_role == "Helpers"
    assert s.ask_cooldown == Cooldown(5, 30.0) and s.freetext_cooldown.rate == 0
    assert s.api_base == "http://127.0.0.1:8080/api/v10" and s.gateway_url == "ws://127.0.0.1:8080/"
    assert s.db_path == "/tmp/x.sqlite3" and s.max_question_chars == 200


def test_repr_and_str_never_show_the_token() -> None:
    s = Settings(token="super-secret-token", guild_ids=(1,))
    assert "super-secret-token" not in repr(s) and "super-secret-token" not in str(s)
    assert "token=***" in repr(s) and "guild_ids=(1,)" in repr(s)


def test_precedence_environment_then_dotenv_then_config_file(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nexport DISCORD_TOKEN='from-dotenv'\nCMF_BOT_MODERATOR_ROLE=DotenvRole\n")
    config = tmp_path / "bot.yaml"
    config.write_text("moderator_role: FileRole\nguild_ids: [42]\nask_cooldown: 2/10\n")
    s = load_settings({"CMF_BOT_GUILD_IDS": "7"}, dotenv=dotenv, config_file=config)
    assert s.token == "from-dotenv"
    assert s.moderator_role == "DotenvRole"  # .env beats the file
    assert s.guild_ids == (7,)  # the environment beats the file
    assert s.ask_cooldown == Cooldown(2, 10.0)  # only in the file
    via_env = load_settings({"CMF_BOT_CONFIG": str(config)}, dotenv=None)
    assert via_env.guild_ids == (42,)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CMF_BOT_GUILD_IDS": "12,abc"}, "CMF_BOT_GUILD_IDS: 'abc' is not a Discord id"),
        ({"CMF_BOT_HELP_CHANNEL_IDS": "-5"}, "CMF_BOT_HELP_CHANNEL_IDS"),
        ({"CMF_BOT_ASK_COOLDOWN": "fast"}, "CMF_BOT_ASK_COOLDOWN: 'fast' is not a cooldown"),
        ({"CMF_BOT_ASK_COOLDOWN": "3/0"}, "is not a cooldown"),
        ({"DISCORD_API_BASE": "discord.com/api"}, "DISCORD_API_BASE"),
        ({"DISCORD_GATEWAY_URL": "http://127.0.0.1/"}, "starting with ws or wss"),
        ({"CMF_BOT_MAX_QUESTION_CHARS": "0"}, "between 1 and 4000"),
        ({"CMF_BOT_MODERATOR_ROLE": "r" * 101}, "CMF_BOT_MODERATOR_ROLE"),
    ],
)
def test_bad_values_give_a_clear_error(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(env, dotenv=None)


def test_config_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("guild_ids: [1\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings({}, dotenv=None, config_file=bad)
    bad.write_text("colour: blue\n")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_settings({}, dotenv=None, config_file=bad)
    bad.write_text("token: abc\n")
    with pytest.raises(ConfigError, match="do not put the token here") as info:
        load_settings({}, dotenv=None, config_file=bad)
    assert "abc" not in str(info.value)
    with pytest.raises(ConfigError, match="config file"):
        load_settings({}, dotenv=None, config_file=tmp_path / "nope.yaml")


def test_dotenv_parsing() -> None:
    values = parse_dotenv('A=1\n\n# x\nB = "two words"\nexport C=3 # trailing\nD=\n')
    assert values == {"A": "1", "B": "two words", "C": "3", "D": ""}
    with pytest.raises(ConfigError, match="line 2"):
        parse_dotenv("A=1\nnot a pair\n")


def test_cooldown_text() -> None:
    assert str(parse_cooldown("x", "3 / 60")) == "3/60"
    assert parse_cooldown("x", "0").rate == 0


def test_sync_shards_and_health_settings(tmp_path: Path) -> None:
    s = load_settings({}, dotenv=None)
    assert s.sync_commands == "changed" and s.shard_count is None and s.shard_ids == ()
    assert s.health_interval == 300.0
    env = {
        "CMF_BOT_SYNC_COMMANDS": "Never",
        "CMF_BOT_SHARD_COUNT": "4",
        "CMF_BOT_SHARD_IDS": "2, 3",
        "CMF_BOT_HEALTH_INTERVAL": "0",
    }
    s = load_settings(env, dotenv=None)
    assert s.sync_commands == "never" and s.shard_count == 4 and s.shard_ids == (2, 3)
    assert s.health_interval == 0
    auto = load_settings({"CMF_BOT_SHARD_COUNT": "auto"}, dotenv=None)
    assert auto.shard_count == AUTO_SHARDS
    config = tmp_path / "bot.yaml"
    config.write_text("sync_commands: always\nshard_count: 2\nshard_ids: [1]\nhealth_interval: 60\n")
    from_file = load_settings({}, dotenv=None, config_file=config)
    assert (from_file.sync_commands, from_file.shard_count, from_file.shard_ids) == ("always", 2, (1,))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CMF_BOT_SYNC_COMMANDS": "sometimes"}, "must be one of changed, always, never"),
        ({"CMF_BOT_SHARD_COUNT": "0"}, "auto or a number of shards"),
        ({"CMF_BOT_SHARD_IDS": "0"}, "needs a fixed CMF_BOT_SHARD_COUNT"),
        ({"CMF_BOT_SHARD_COUNT": "auto", "CMF_BOT_SHARD_IDS": "0"}, "needs a fixed CMF_BOT_SHARD_COUNT"),
        ({"CMF_BOT_SHARD_COUNT": "2", "CMF_BOT_SHARD_IDS": "2"}, "run from 0 to 1"),
        ({"CMF_BOT_SHARD_COUNT": "2", "CMF_BOT_SHARD_IDS": "x"}, "is not a shard id"),
        ({"CMF_BOT_HEALTH_INTERVAL": "-1"}, "from 0 to 86400"),
    ],
)
def test_bad_sync_and_shard_settings_give_a_clear_error(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env, dotenv=None)


def test_a_world_readable_dotenv_gets_one_warning_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=abc.def\n")
    env_file.chmod(0o600)
    with caplog.at_level("WARNING", "bot.config"):
        assert load_settings({}, dotenv=env_file).token == "abc.def"
    assert caplog.records == []
    env_file.chmod(0o644)
    with caplog.at_level("WARNING", "bot.config"):
        assert load_settings({}, dotenv=env_file).token == "abc.def"  # a warning, not a refusal
    (record,) = caplog.records
    assert "readable by every user" in record.getMessage() and "chmod 600" in record.getMessage()
    assert "abc.def" not in record.getMessage() and "\n" not in record.getMessage()


def test_a_dotenv_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"CMF_BOT_GUILD_IDS=1\nDISCORD_TOKEN=caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8") as info:
        load_settings({}, dotenv=env_file)
    assert "\n" not in str(info.value)


def test_run_with_a_non_utf8_dotenv_exits_2_with_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env_file = tmp_path / ".env"
    env_file.write_bytes(b"DISCORD_TOKEN=caf\xe9\n")
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--env-file", str(env_file)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not UTF-8" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    "text",
    [
        "guild_ids: &ids [1, 2]\nhelp_channel_ids: *ids\n",
        "base: &b {rate: 1}\nguild_ids: [1]\n",
    ],
)
def test_yaml_anchors_and_aliases_in_the_config_file_are_refused(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "bot.yaml"
    bad.write_text(text)
    with pytest.raises(ConfigError, match="anchors and aliases") as info:
        load_settings({}, dotenv=None, config_file=bad)
    assert "\n" not in str(info.value)


def test_a_config_file_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bot.yaml"
    bad.write_bytes(b"guild_ids: [1]\n# caf\xe9\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings({}, dotenv=None, config_file=bad)
