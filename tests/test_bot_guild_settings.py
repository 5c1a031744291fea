"""bot.guild_settings (the per-server settings table) and bot.ui.Live (forms and views in memory)."""

from __future__ import annotations

from pathlib import Path

from fakediscord import FakeClock

from bot.guild_settings import GuildSettings, GuildSettingsStore, any_help_channels
from bot.ui import Live


def test_settings_are_stored_per_server_with_author_and_time(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    assert not any_help_channels(path)  # no database yet
    store = GuildSettingsStore(path)
    assert store.load_all() == {} and not any_help_channels(path)
    saved = store.save(GuildSettings(1, help_channel_ids=(10, 11), answer_mode="suggest"), "discord:7")
    store.save(GuildSettings(2, moderator_role_id=99, solved_tag="solved"), "discord:8")
    again = GuildSettingsStore(path).load_all()  # another connection (another process) sees them
    assert again[1] == saved and saved.updated_by == "discord:7" and saved.updated_at
    assert again[1].help_channel_ids == (10, 11) and again[1].mode == "suggest"
    assert (
        again[2].help_channel_ids is None and again[2].mode == "confident" and again[2].solved_tag == "solved"
    )
    assert any_help_channels(path)
    store.reset(1)
    assert set(store.load_all()) == {2} and not any_help_channels(path)


def test_a_forum_post_is_marked_answered_once_and_state_is_kept(tmp_path: Path) -> None:
    store = GuildSettingsStore(tmp_path / "bot.sqlite3")
    assert not store.was_answered(5)
    assert store.mark_answered(5, 1) is True and store.mark_answered(5, 1) is False
    assert store.was_answered(5)
    assert store.get_state("synced:global") is None
    store.set_state("synced:global", "abc")
    store.set_state("synced:global", "def")
    assert store.get_state("synced:global") == "def"


class Stoppable:
    def __init__(self) -> None:
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


async def test_live_objects_expire_on_the_clock_and_the_oldest_go_first() -> None:
    clock = FakeClock()
    live = Live(clock, limit=2)
    first, second, third = Stoppable(), Stoppable(), Stoppable()
    a = live.add(first, ttl=60)
    b = live.add(second, ttl=600)
    assert len(a) == 10 and a != b and live.get(a) is first
    live.add(third)  # over the limit: the oldest is dropped and stopped
    assert first.stopped and live.get(a) is None and len(live) == 2
    clock.advance(601)
    assert live.prune() == 1 and second.stopped and live.get(b) is None
    assert not third.stopped
