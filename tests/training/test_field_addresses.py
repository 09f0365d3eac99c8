"""corpus/field/addresses.py: the check collectors run before taking a page for the real-text
check. Written against a made-up reserved list, so the test needs nothing outside the repo."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("field_addresses", ROOT / "corpus" / "field" / "addresses.py")
addresses = importlib.util.module_from_spec(spec)
spec.loader.exec_module(addresses)


def test_scheme_www_query_and_trailing_slash_do_not_hide_a_reserved_page(tmp_path):
    listed = tmp_path / "reserved.txt"
    listed.write_text("# a comment\nexample.org/blog/my-rejection\n", encoding="utf-8")
    reserved = addresses.read_reserved(listed)
    for seen in ("https://www.example.org/blog/my-rejection/?utm=x#top",
                 "http://example.org/blog/my-rejection/comment-3"):
        assert addresses.verdict(seen, reserved, []) == "reserved"
    assert addresses.verdict("https://example.org/blog/my-rejection-2", reserved, []) == "free"


def test_one_reddit_thread_is_one_address_whatever_the_mirror():
    reserved = [addresses.address_key("redlib.example.com/r/jobs/comments/abc123/some_title")]
    mirror = "https://reddit.mirror.example.net/r/Jobs/comments/abc123/other_slug/xyz9/?context=3"
    assert addresses.verdict(mirror, reserved, []) == "reserved"
    taken = [("c9-001", "https://old.reddit.com/r/jobs/comments/zz9/t/")]
    assert addresses.verdict("https://reddit.load.example/r/jobs/comments/zz9/", [], taken) == "taken by c9-001"


def test_a_query_that_names_the_page_keeps_two_pages_apart():
    taken = [("e1-001", "https://blog.example.com/?p=2504")]
    assert addresses.verdict("https://blog.example.com/?p=2504", [], taken) == "taken by e1-001"
    assert addresses.verdict("https://blog.example.com/?p=2896", [], taken) == "free"


def test_code_addresses_compare_by_repo_and_path():
    taken = [("f7-030", "Owner/Repo:notes/interview_feedback.md")]
    assert addresses.verdict("owner/repo:notes/interview_feedback.md", [], taken) == "taken by f7-030"


def test_the_cli_says_which_and_fails_when_one_is_not_free(tmp_path, capsys):
    listed = tmp_path / "reserved.txt"
    listed.write_text("example.org/reserved-page\n", encoding="utf-8")
    status = addresses.main(["--reserved", str(listed), "https://example.org/reserved-page",
                             "https://free.example/page"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert out[0].endswith("\treserved") and out[1].endswith("\tfree")


def test_every_index_line_names_an_address_under_an_id_of_its_own():
    # the shipped index (the reserved list is outside the repository: --audit checks that)
    rows = addresses.index_addresses()
    assert len(rows) >= 1000
    assert all(addresses.address_key(where) for _, where in rows)
    assert len({rid for rid, _ in rows}) == len(rows), "an id is used twice"
