"""A guided break read like one: set, rest, set, with the clock passed in and sets counted as they end."""

from __future__ import annotations

from standup.core.guide import Dose, Phase, Session, steps

SQUATS = Dose(sets=2, reps=10, seconds=None, seconds_per_rep=3.0, rest_seconds=45, unit="squats")
HOLD = Dose(sets=2, reps=None, seconds=30, per_side=True, rest_seconds=10)


def test_two_sets_of_squats_with_a_rest_between():
    assert [(s.phase, s.set_number, s.seconds) for s in steps(SQUATS)] == [
        (Phase.SET, 1, 30.0), (Phase.REST, 2, 45.0), (Phase.SET, 2, 30.0)]
    session = Session(SQUATS, now=100.0)
    first = session.moment(100.0)
    assert first.headline == "Set 1 of 2 · 10 squats"
    assert (first.rep, first.remaining, first.completed) == (1, None, 0)
    assert session.moment(107.5).rep == 3  # paced at 3 s a squat
    resting = session.moment(131.0)
    assert resting.phase is Phase.REST and resting.headline == "Rest · set 2 of 2 next"
    assert resting.remaining == 44 and resting.completed == 1
    assert session.moment(176.0).headline == "Set 2 of 2 · 10 squats"
    end = session.moment(206.0)
    assert end.phase is Phase.FINISHED and end.completed == 2 and end.headline == "All 2 sets done — press Done"
    assert session.ended_sets == [1, 2]


def test_stopping_early_counts_only_the_sets_that_ended():
    session = Session(SQUATS, now=0.0)
    session.moment(40.0)  # the first set ended at 30 s, now resting
    assert session.completed == 1
    session.moment(80.0)  # into the second set
    assert session.completed == 1


def test_the_user_can_end_a_set_early_and_cut_a_rest_short():
    session = Session(SQUATS, now=0.0)
    session.next(12.0)  # "set done" after 12 s
    assert session.completed == 1 and session.moment(12.0).phase is Phase.REST
    session.next(20.0)  # skip the rest
    moment = session.moment(20.0)
    assert moment.phase is Phase.SET and moment.set_number == 2 and moment.rep == 1


def test_a_timed_set_each_side_counts_down_both_sides():
    session = Session(HOLD, now=0.0)
    moment = session.moment(5.0)
    assert moment.headline == "Set 1 of 2 · 30 s each side"
    assert moment.remaining == 55 and moment.rep is None
    assert session.moment(61.0).phase is Phase.REST


def test_a_dose_from_the_control_command():
    dose = Dose.from_json({"sets": 1, "reps": None, "seconds": 240},
                          {"per_side": False, "squat": False, "seconds_per_rep": 1.0, "rest_seconds": 30})
    assert dose.amount == "4 min"
    assert [step.phase for step in steps(dose)] == [Phase.SET]
