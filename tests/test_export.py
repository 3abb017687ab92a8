"""Export: stable columns, UTC and local times, and a CSV/JSON round trip back to the records."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

from standup.adapters.export import COLUMNS, export_rows, write_csv, write_json
from standup.core.model import EventKind, Outcome
from tests.test_summary import BERLIN, Log, at, scripted_day

DST_DAY = date(2026, 3, 29)


def dst_log() -> Log:
    log = Log()
    log.prompt(at(DST_DAY, "01:30"), Outcome.DONE, at(DST_DAY, "03:10"), routine='wall "sit", long', sets=2,
               seconds=30, squats=0)
    log.prompt(at(DST_DAY, "04:00"), None)
    log.event(EventKind.PAUSED, at(DST_DAY, "04:30"), until=at(DST_DAY, "05:00").isoformat(), note="Zürich\nline")
    return log


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_columns_are_the_documented_contract():
    assert COLUMNS == (
        "record", "id", "kind", "prompt_id", "at_utc", "at_local", "local_date", "outcome",
        "answered_at_utc", "answered_at_local", "snoozes", "routine", "sets", "reps", "seconds", "squats", "data",
    )


def test_csv_round_trip_gives_back_every_prompt_and_event():
    log = scripted_day()
    out = io.StringIO(newline="")
    count = write_csv(out, log.prompts, log.events, BERLIN)
    rows = read_csv(out.getvalue())
    assert count == len(rows) == len(log.prompts) + len(log.events)
    assert list(rows[0].keys()) == list(COLUMNS)

    prompts = [r for r in rows if r["record"] == "prompt"]
    assert [int(r["id"]) for r in prompts] == [p.id for p in log.prompts]
    for row, prompt in zip(prompts, log.prompts, strict=True):
        assert datetime.fromisoformat(row["at_utc"]) == prompt.prompted_at
        assert datetime.fromisoformat(row["at_local"]) == prompt.prompted_at
        assert row["at_local"].endswith("+01:00")  # Berlin in November
        assert row["outcome"] == prompt.outcome.value
        assert datetime.fromisoformat(row["answered_at_utc"]) == prompt.answered_at
        assert int(row["snoozes"]) == prompt.snoozes
        assert int(row["squats"]) == prompt.squats
        assert row["local_date"] == "2026-11-17"
        assert row["data"] == ""

    events = [r for r in rows if r["record"] == "event"]
    assert sorted(int(r["id"]) for r in events) == sorted(e.id for e in log.events)
    by_id = {e.id: e for e in log.events}
    for row in events:
        event = by_id[int(row["id"])]
        assert row["kind"] == event.kind.value
        assert datetime.fromisoformat(row["at_utc"]) == event.at
        assert json.loads(row["data"]) == event.data
        assert (int(row["prompt_id"]) if row["prompt_id"] else None) == event.prompt_id
        assert row["outcome"] == "" and row["snoozes"] == ""


def test_rows_are_in_time_order_prompt_first():
    log = scripted_day()
    rows = list(export_rows(log.prompts, log.events, BERLIN))
    instants = [datetime.fromisoformat(str(r["at_utc"])) for r in rows]
    assert instants == sorted(instants)
    # a prompt and its `prompted` event share an instant: the prompt comes first
    first_prompt = rows.index(next(r for r in rows if r["record"] == "prompt"))
    assert rows[first_prompt + 1]["kind"] == "prompted"
    assert rows[0]["kind"] == "started"


def test_quotes_commas_newlines_and_dst_offsets_survive_csv():
    log = dst_log()
    out = io.StringIO(newline="")
    write_csv(out, log.prompts, log.events, BERLIN)
    rows = read_csv(out.getvalue())
    done = next(r for r in rows if r["record"] == "prompt" and r["outcome"] == "done")
    assert done["routine"] == 'wall "sit", long'
    assert (done["sets"], done["reps"], done["seconds"]) == ("2", "", "30")
    assert done["at_local"] == "2026-03-29T01:30:00+01:00"
    assert done["answered_at_local"] == "2026-03-29T03:10:00+02:00"
    open_prompt = next(r for r in rows if r["record"] == "prompt" and r["outcome"] == "")
    assert open_prompt["answered_at_utc"] == "" and open_prompt["at_utc"] == "2026-03-29T02:00:00+00:00"
    paused = next(r for r in rows if r["kind"] == "paused")
    assert json.loads(paused["data"])["note"] == "Zürich\nline"


def test_json_round_trip():
    log = dst_log()
    out = io.StringIO()
    count = write_json(out, log.prompts, log.events, BERLIN, DST_DAY, DST_DAY + timedelta(days=1))
    document = json.loads(out.getvalue())
    assert document["format"] == "standup-export" and document["version"] == 1
    assert document["timezone"] == "Europe/Berlin"
    assert (document["from"], document["to"]) == ("2026-03-29", "2026-03-30")
    assert document["columns"] == list(COLUMNS)
    assert count == len(document["records"]) == 2 + 4
    prompts = [r for r in document["records"] if r["record"] == "prompt"]
    assert prompts[0]["sets"] == 2 and prompts[0]["reps"] is None and prompts[0]["seconds"] == 30
    assert prompts[1]["outcome"] is None
    paused = next(r for r in document["records"] if r["kind"] == "paused")
    assert paused["data"]["note"] == "Zürich\nline"
    assert all(set(r) == set(COLUMNS) for r in document["records"])


def test_empty_export_has_only_the_header():
    out = io.StringIO(newline="")
    assert write_csv(out, [], [], BERLIN) == 0
    assert out.getvalue() == ",".join(COLUMNS) + "\r\n"


def test_csv_from_stored_rows_is_byte_identical(tmp_path):
    from standup.adapters.export import write_csv_stored
    from standup.adapters.store import Store, stored_rows_between
    from tests.test_cli_summary import write_to_store

    log = scripted_day()
    extra = dst_log()
    path = tmp_path / "standup.db"
    write_to_store(path, log)
    write_to_store(path, Log([p for p in extra.prompts if p.outcome], [e for e in extra.events if e.prompt_id != 2]))
    store = Store.open(path, readonly=True)
    start, end = at(DST_DAY, "00:00"), at(date(2026, 12, 1), "00:00")
    from_records, from_rows = io.StringIO(newline=""), io.StringIO(newline="")
    count = write_csv(from_records, store.prompts_between(start, end), store.events_between(start, end), BERLIN)
    assert write_csv_stored(from_rows, *stored_rows_between(store, start, end), BERLIN) == count
    store.close()
    assert count == len(log.prompts) + len(log.events) + 1 + 3
    assert from_rows.getvalue() == from_records.getvalue()
    rows = read_csv(from_rows.getvalue())
    assert json.loads(next(r for r in rows if r["kind"] == "paused")["data"])["note"] == "Zürich\nline"


def test_empty_json_export_is_valid():
    out = io.StringIO()
    assert write_json(out, [], [], None, None, None) == 0
    document = json.loads(out.getvalue())
    assert document["records"] == [] and document["timezone"] == "system"
