"""`mentorkit erase`: the roster entry goes, the pseudonym is unlinked in every current file, nothing is resent."""

from click.testing import CliRunner

from mentorkit.cli import main
from mentorkit.coordinator.erase import erase
from mentorkit.coordinator.intros import write_intros
from mentorkit.coordinator.pseudonyms import PrivateStore
from mentorkit.repo.load import load_workspace
from test_intake import code
from test_meeting_slots import INES, TODAY, season


def texts(root):
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for folder in ("participants", "program") for p in (root / folder).rglob("*") if p.is_file()}


def test_erasure_unlinks_the_pseudonym_everywhere(tmp_path):
    root, private, out = season(tmp_path)
    write_intros(root, "pilot", private, out, today=TODAY)
    ines = code(private, INES)
    before = load_workspace(root)
    dry = erase(root, INES, private, dry_run=True)
    assert dry.files and all(ines in texts(root)[f] for f in dry.files), "a dry run changes nothing"
    report = erase(root, INES, private)
    assert report.ok, report.as_text()
    after = load_workspace(root)
    assert not any(ines in text for text in texts(root).values()), "no current file holds the old pseudonym"
    assert report.new in after.participants and ines not in after.participants
    assert len(after.participants) == len(before.participants), "her answers stay, so the totals stay true"
    assert after.participants[report.new].department == before.participants[ines].department
    store = PrivateStore(private, root)
    assert ines not in store and report.new not in store, "the roster names her no more"
    assert store.pseudonym_of(INES) == ines != report.new, "the key leads to the old pseudonym only"
    for name in ("intros-sent.csv", "meetings-booked.csv", "roster.csv"):
        assert ines not in (private / name).read_text() and "ines" not in (private / name).read_text().lower()


def test_cli_erase_and_a_person_not_in_the_roster(tmp_path):
    root, private, _ = season(tmp_path)
    args = ["erase", "--private", str(private), "--root", str(root)]
    missing = CliRunner().invoke(main, [args[0], "nobody@example.com", *args[1:]])
    assert missing.exit_code == 1 and "not in the private roster" in missing.output
    done = CliRunner().invoke(main, [args[0], "tobiah.qm@example.com", *args[1:]])
    assert done.exit_code == 0, done.output
    assert "Git history" in done.output and "tobiah" not in done.output.lower()
