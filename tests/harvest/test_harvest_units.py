"""The harvest's small parts: the strict match rule, Retry-After, the rate limiter, the page cache."""
from __future__ import annotations

import email.utils

import pytest

from bibliomap.harvest.cache import PageCache
from bibliomap.harvest.client import (
    RateLimiter,
    RetryPolicy,
    describe_request,
    retry_after_seconds,
)
from bibliomap.harvest.match import judge, surnames_agree, title_similarity

# Titles from the real Publish or Perish export (tests/fixtures/harvest/pop_propithecus.csv)
CUT = "Patterns of quadrupedal locomotion in a vertical clinging and leaping primate (Propithecus coquereli) with implications for understanding the functional demands of …"
FULL = "Patterns of quadrupedal locomotion in a vertical clinging and leaping primate (Propithecus coquereli) with implications for understanding the functional demands of primate quadrupedalism"


def test_truncated_titles_compare_with_the_start_of_the_candidate():
    assert title_similarity(CUT, FULL) == 1.0
    assert title_similarity(CUT.replace("…", "..."), FULL) == 1.0
    assert title_similarity("Patterns of …", FULL) == 0.0  # too short to say anything
    # a whole (not truncated) title must match the whole candidate title
    assert title_similarity("Specific status of Propithecus spp.", "Specific status of Propithecus spp. in western Madagascar") < 0.92


def test_judge_applies_title_author_and_year_rules():
    ok = judge(CUT, "Granatosky", 2016, FULL, "Granatosky", 2017)
    assert ok.ok and ok.similarity == 1.0
    assert not judge(CUT, "Granatosky", 2016, FULL, "Granatosky", 2018).ok
    assert "first authors differ" in judge(CUT, "Granatosky", 2016, FULL, "Tripp", 2016).reason
    assert "title similarity" in judge("Specific status of Propithecus spp.", "Mayor", 2004, "Specific status of Lemur spp.", "Mayor", 2004).reason
    # no author on one side: only a near-identical title passes
    assert judge("Edge effects on the behaviour and ecology of Propithecus coquereli", None, 2011,
                 "Edge effects on the behaviour and ecology of Propithecus coquereli", "McGoogan", 2011).ok
    assert not judge("Edge effects on the behaviour and ecology of Propithecus coquereli", None, 2011,
                     "Edge effects on behaviour and ecology of Propithecus coquerelii", "McGoogan", 2011).ok


def test_surnames_agree_across_hyphens_accents_and_particles():
    assert surnames_agree("Kun‐Rodrigues", "Kun-Rodrigues")  # U+2010 hyphen in the export
    assert surnames_agree("Müller", "Muller")
    assert surnames_agree("van Beethoven", "Beethoven")
    assert surnames_agree("Rodrigues", "Kun-Rodrigues")
    assert not surnames_agree("Ross", "Power")
    assert not surnames_agree("Li", "Ali")
    assert surnames_agree(None, "Ross") is None


def test_retry_after_seconds_or_http_date():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 0 ") == 0.0
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert retry_after_seconds(date, now=1_000_000) == pytest.approx(30.0)
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_backoff_doubles_with_jitter_and_a_cap():
    policy = RetryPolicy(base_delay=1.0, max_delay=10.0)
    for attempt, cap in [(0, 1), (1, 2), (2, 4), (3, 8), (4, 10), (9, 10)]:
        d = policy.backoff(attempt)
        assert cap / 2 <= d <= cap


def test_rate_limiter_spaces_requests():
    now = [0.0]
    waits = []

    def sleep(s):
        waits.append(s)
        now[0] += s

    limiter = RateLimiter(4.0, sleep=sleep, clock=lambda: now[0])
    for _ in range(5):
        limiter.wait()
    assert waits == pytest.approx([0.255] * 4)  # 1/4 s plus the 2% margin
    limiter.slow_down(2.0)
    limiter.slow_down(100.0)  # never raises the limit
    assert limiter.rate == 2.0


def test_page_cache_round_trip_and_private_params_left_out(tmp_path):
    cache = PageCache(tmp_path / "c")
    key = cache.key("https://api.openalex.org/works", {"search": "x", "cursor": "*"})
    assert key == cache.key("https://api.openalex.org/works", {"cursor": "*", "search": "x"})
    assert cache.get(key) is None
    cache.put(key, b'{"results": []}')
    assert cache.get(key) == b'{"results": []}'
    cache.drop(key)
    assert cache.get(key) is None
    shown = describe_request("https://api.openalex.org/works", {"search": "a b", "mailto": "me@example.org", "api_key": "SECRET"})
    assert "SECRET" not in shown and "me@example.org" not in shown and "search=a" in shown


def test_client_follows_crossref_rate_headers_and_names_itself():
    import httpx

    from bibliomap.harvest.client import ApiClient

    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"message": {"items": []}}, headers={"X-Rate-Limit-Limit": "4", "X-Rate-Limit-Interval": "1s"})

    with ApiClient("https://api.example.org/", 3.0, mailto="me@example.org", transport=httpx.MockTransport(handler)) as client:
        assert client.get_json("works", {"query": "x", "mailto": "me@example.org", "rows": None}) == {"message": {"items": []}}
        assert client.limiter.rate == 2.0  # half of the announced 4 per second
    assert "mailto:me@example.org" in seen[0].headers["User-Agent"]
    assert str(seen[0].url) == "https://api.example.org/works?query=x&mailto=me%40example.org"
