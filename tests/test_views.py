"""The service's views: one shape of status whether standup runs or not."""

from __future__ import annotations

from datetime import datetime, timezone

from standup.core.model import State
from standup.service.views import Status, no_counts, offline_status_json

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_the_offline_status_has_exactly_the_running_status_keys():
    running = Status(State.SITTING, NOW, None, NOW, 60, None, None, no_counts()).as_json()
    offline = offline_status_json(NOW, {**no_counts(), "done": 2})
    assert list(offline) == list(running)
    assert offline["running"] is False and running["running"] is True
    assert offline["now"] == running["now"] == "2026-11-23T09:00:00+00:00"
    assert offline["today"]["done"] == 2  # type: ignore[index]
