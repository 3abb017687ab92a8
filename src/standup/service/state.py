"""The pieces of the service's state that outlive one call: the open prompt and a running pause.

Each knows the instants it implies (when the open prompt expires, when it is shown again) and how a
step of the wall clock moves it; the service decides what to do at those instants.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from standup.core import policy
from standup.core.errors import UsageError
from standup.core.settings import Settings
from standup.service.views import PromptView


@dataclass
class OpenPrompt:
    view: PromptView
    last_shown_at: datetime  # when it was first shown or shown again after a snooze
    reminded: bool = False  # the one extra showing of an unanswered prompt has happened

    def counted(self, sets_completed: int | None) -> tuple[dict[str, object] | None, int | None]:
        """A Done's event data and the squats to record when the break window counted the sets done."""
        suggestion = self.view.suggestion
        if sets_completed is None or suggestion is None:
            return None, None
        if not 0 <= sets_completed <= suggestion.sets:
            raise UsageError(f"{sets_completed} sets completed, but the prompt asked for {suggestion.sets}")
        return {"sets_completed": sets_completed, "sets": suggestion.sets}, suggestion.squats * sets_completed // suggestion.sets

    def expiry(self, settings: Settings, tz: tzinfo | None) -> datetime:
        """When it counts as missed."""
        view = self.view
        return policy.prompt_expiry(view.prompted_at, self.last_shown_at, view.snoozed_until, settings, tz)

    def reshow_at(self, settings: Settings) -> datetime | None:
        """When it is shown again: at the snooze's end, or once as a reminder."""
        if self.view.snoozed_until is not None:
            return self.view.snoozed_until
        if self.reminded:
            return None
        return policy.reminder_at(self.last_shown_at, settings)

    def shifted(self, step: timedelta) -> OpenPrompt:
        """The same prompt after the wall clock stepped by `step`: its durations keep their length."""
        snoozed_until = self.view.snoozed_until + step if self.view.snoozed_until else None
        return OpenPrompt(replace(self.view, snoozed_until=snoozed_until), self.last_shown_at + step, self.reminded)


@dataclass
class Pause:
    until: datetime
    relative: bool  # a duration (shifts with clock steps), not "until tomorrow"
