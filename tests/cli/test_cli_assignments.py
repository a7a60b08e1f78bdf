"""``annotator team assign / assignments / queue`` (in process) on both backends."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from tests.review.scenario import add_two_analysts


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exit_:          # argparse's own usage errors
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_assign_list_and_queue(seeded_location: Path, capsys: pytest.CaptureFixture[str]
                               ) -> None:
    service = ProjectService.open(seeded_location)
    try:
        merics = add_two_analysts(service).document.id
        titles = {i.id: i.title for i in service.documents()}
    finally:
        service.close()
    project = ("--project", str(seeded_location))
    code, out, err = run(capsys, "team", "assign", *project, "--analysts", "alice,bob",
                         "--overlap", "1", "--documents", merics, "--by", "dave")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["2 assignments added (1 documents)", "alice\t1", "bob\t1"]
    code, out, err = run(capsys, "team", "assign", *project, "--analysts",
                         "alice, bob ,carol", "--overlap", "0.25", "--seed", "7")
    assert code == 0, err
    # Three more documents, one analyst each (round(0.25 * 4) = 1 is MERICS already).
    assert out.splitlines()[0] == "3 assignments added (3 documents)"
    code, out, err = run(capsys, "team", "assign", *project, "--analysts",
                         "alice,bob,carol", "--overlap", "0.25", "--seed", "7")
    assert out.splitlines()[0] == "0 assignments added (0 documents)"

    code, out, err = run(capsys, "team", "assignments", *project, "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert len(listed) == 5
    assert Counter(a["document_id"] for a in listed)[merics] == 2
    assert {a["title"] for a in listed} == set(titles.values())
    assert {(a["status"], a["done_at"]) for a in listed} == {("assigned", None)}
    code, out, err = run(capsys, "team", "assignments", *project)
    assert f"{merics}\talice\tassigned\t{titles[merics]}" in out.splitlines()

    code, out, err = run(capsys, "team", "queue", *project, "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    service = ProjectService.open(seeded_location)
    try:
        AssignmentService(service).set_done(merics, "alice")
        AssignmentService(service).set_done(merics, "bob")
    finally:
        service.close()
    code, out, err = run(capsys, "team", "queue", *project, "--format", "json")
    queue = json.loads(out)
    assert [(e["document_id"], e["differences"], e["units"], e["disagreement"])
            for e in queue] == [(merics, 5, 6, 0.2)]
    code, out, err = run(capsys, "team", "queue", *project)
    assert out.splitlines() == ["differences\tspan F1\tdocument\tanalysts\ttitle",
                                f"5\t0.80\t{merics}\talice, bob\t{titles[merics]}"]


def test_bad_requests_exit_2_with_one_line(seeded_location: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = ("--project", str(seeded_location))
    cases = [
        (("team", "assign", *project, "--analysts", "alice", "--overlap", "0.5"),
         "at least two analysts"),
        (("team", "assign", *project, "--analysts", "a,b", "--overlap", "2"), "from 0 to 1"),
        (("team", "assign", *project, "--analysts", "a,b", "--documents", "nope"),
         "no document nope"),
        (("team", "assign", *project, "--analysts", ","), "at least one analyst"),
        (("team", "assign", *project, "--overlap", "0.2"), "--analysts"),
        (("team", "queue", *project, "--format", "xml"), "invalid choice"),
    ]
    for args, message in cases:
        code, out, err = run(capsys, *args)
        assert code == 2, args
        assert message in err, (args, err)
        assert out == ""
    code, out, err = run(capsys, "team", "assignments", *project, "--format", "json")
    assert json.loads(out) == []
