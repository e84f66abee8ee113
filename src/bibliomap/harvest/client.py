"""One polite HTTP client for the public APIs: rate limit, retries with backoff, raw page cache.

Every request goes through :class:`ApiClient.get`: it waits for the client-side rate
limiter, retries 429/5xx answers, dropped connections and malformed bodies with
exponential backoff and jitter (honouring ``Retry-After``), and keeps each good raw
page in a :class:`bibliomap.harvest.cache.PageCache` when one is given.
"""
from __future__ import annotations

import dataclasses
import email.utils
import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from bibliomap import __version__
from bibliomap.harvest.cache import PageCache

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: Query parameters that identify the caller, not the page: left out of cache keys and logs.
PRIVATE_PARAMS = frozenset({"mailto", "email", "api_key", "tool"})


class HarvestError(Exception):
    """A request failed for good (after retries) or the API answered something unusable."""


class MalformedResponse(Exception):
    """A 200 answer whose body is not what the API sends (cut short, not JSON, wrong shape)."""


@dataclasses.dataclass
class RetryPolicy:
    """How often and how long to retry: exponential backoff with jitter, Retry-After honoured.

    ``sleep`` is injectable so tests can record the waits instead of sleeping them.
    """

    max_retries: int = 6
    base_delay: float = 1.0
    max_delay: float = 60.0
    max_retry_after: float = 600.0  # a longer Retry-After (a daily quota) stops the harvest instead
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = dataclasses.field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Delay before retry number ``attempt`` (0-based): half fixed, half random ("equal jitter")."""
        cap = min(self.max_delay, self.base_delay * (2**attempt))
        return cap / 2 + self.rng.uniform(0, cap / 2)


class RateLimiter:
    """At most ``rate`` requests per second: successive requests start at least 1/rate apart.

    The spacing is measured from when each request actually starts (after the sleep,
    which may overshoot), plus a 2% margin, so that no one-second window ever holds
    more than ``rate`` requests even with timer jitter.
    """

    MARGIN = 1.02

    def __init__(self, rate: float, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive (requests per second)")
        self.rate = rate
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    @property
    def interval(self) -> float:
        return self.MARGIN / self.rate

    def slow_down(self, rate: float) -> None:
        """Lower the limit (e.g. to a share of what the API's headers announce); never raises it."""
        if 0 < rate < self.rate:
            self.rate = rate

    def wait(self) -> None:
        """Block until the next request may start."""
        with self._lock:
            if self._last is not None:
                delay = self._last + self.interval - self._clock()
                if delay > 0:
                    self._sleep(delay)
            self._last = self._clock()


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def describe_request(url: str, params: dict[str, Any] | None) -> str:
    """The URL with its query parameters, identity parameters (mailto, api_key) left out."""
    shown = {k: v for k, v in (params or {}).items() if k not in PRIVATE_PARAMS and v is not None}
    return str(httpx.URL(url, params=shown))


class ApiClient:
    """GET JSON or text from one API base URL, politely and robustly.

    ``rate`` is requests per second (client side, kept well under the API's own limit);
    ``cache`` keeps every good raw answer on disk, keyed by URL and parameters.
    """

    def __init__(
        self,
        base_url: str,
        rate: float,
        *,
        mailto: str | None = None,
        retry: RetryPolicy | None = None,
        cache: PageCache | None = None,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        try:
            parsed = httpx.URL(self.base_url)
        except httpx.InvalidURL as exc:
            raise HarvestError(f"{base_url}: not a URL ({exc})") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise HarvestError(f"{base_url}: expected an http:// or https:// URL of the API")
        self.retry = retry or RetryPolicy()
        self.limiter = RateLimiter(rate)
        self.cache = cache
        self.requests = 0  # network requests made (retries included), for reports and benchmarks
        self.auth_hint = ""  # said after a 401/403 answer: how to authenticate with this API
        agent = f"bibliomap/{__version__} (mailto:{mailto})" if mailto else f"bibliomap/{__version__}"
        self._http = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": agent, **(headers or {})},
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def get_json(self, path: str, params: dict[str, Any] | None = None, *, check: Callable[[Any], None] | None = None, not_found_ok: bool = False, cached: bool = True) -> Any:
        """Parsed JSON of a GET; ``check(doc)`` raises MalformedResponse for a wrong shape. None on 404 if allowed.

        ``cached=False`` always asks the API (answers that expire, such as a search's history key).
        """

        def parse(body: bytes) -> Any:
            try:
                doc = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise MalformedResponse(f"not JSON ({exc})") from exc
            if check is not None:
                check(doc)
            return doc

        return self._get(path, params, parse, not_found_ok, cached)

    def get_text(self, path: str, params: dict[str, Any] | None = None, *, check: Callable[[str], None] | None = None) -> str:
        """Decoded text of a GET (UTF-8); ``check(text)`` raises MalformedResponse for a wrong shape."""

        def parse(body: bytes) -> str:
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise MalformedResponse(f"not UTF-8 text ({exc})") from exc
            if check is not None:
                check(text)
            return text

        return self._get(path, params, parse, False, True)

    # the retry loop -------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, Any] | None, parse: Callable[[bytes], Any], not_found_ok: bool, cached: bool) -> Any:
        url = self.url(path)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        where = describe_request(url, params)
        key = None
        if self.cache is not None and cached:
            key = self.cache.key(url, {k: v for k, v in params.items() if k not in PRIVATE_PARAMS})
            body = self.cache.get(key)
            if body == b"" and not_found_ok:
                return None  # a remembered 404
            if body is not None:
                try:
                    return parse(body)
                except MalformedResponse:
                    self.cache.drop(key)  # a damaged cache entry: fetch the page again
        attempt = 0
        while True:
            self.limiter.wait()
            self.requests += 1
            wait_hint: float | None = None
            try:
                response = self._http.get(url, params=params)
                body = response.content  # reads the whole body: a dropped connection raises here
            except httpx.TransportError as exc:
                problem = f"connection problem ({type(exc).__name__}: {exc})"
            except httpx.HTTPError as exc:  # e.g. too many redirects: retrying will not help
                raise HarvestError(f"{where}: {type(exc).__name__}: {exc}") from exc
            else:
                self._adapt_rate(response.headers)
                status = response.status_code
                if status == 200:
                    try:
                        doc = parse(body)
                    except MalformedResponse as exc:
                        problem = f"malformed answer: {exc}"
                    else:
                        if key is not None:
                            self.cache.put(key, body)
                        return doc
                elif status == 404 and not_found_ok:
                    if key is not None:
                        self.cache.put(key, b"")
                    return None
                elif status in RETRY_STATUS:
                    problem = f"HTTP {status}"
                    wait_hint = retry_after_seconds(response.headers.get("Retry-After"))
                else:
                    hint = f"; {self.auth_hint}" if status in (401, 403) and self.auth_hint else ""
                    raise HarvestError(f"{where}: HTTP {status}: {_error_text(response)}{hint}")
            if attempt >= self.retry.max_retries:
                raise HarvestError(f"{where}: {problem}; gave up after {attempt + 1} attempts")
            delay = self.retry.backoff(attempt)
            if wait_hint is not None:
                if wait_hint > self.retry.max_retry_after:
                    raise HarvestError(
                        f"{where}: {problem}; the API asks to wait {wait_hint:.0f} s (a daily quota?); run the command again later"
                    )
                delay = max(delay, wait_hint)
            self.retry.sleep(delay)
            attempt += 1

    def _adapt_rate(self, headers: httpx.Headers) -> None:
        """Crossref announces its limit (X-Rate-Limit-Limit per X-Rate-Limit-Interval): stay at half of it."""
        limit, interval = headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval")
        if not limit or not interval:
            return
        try:
            seconds = float(interval.strip().rstrip("s") or 1)
            self.limiter.slow_down(float(limit) / seconds / 2)
        except ValueError:
            return


def _error_text(response: httpx.Response) -> str:
    """The API's error message, shortened (OpenAlex and Crossref send JSON with 'message' or 'error')."""
    try:
        doc = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        text = response.text.strip()
        return (text[:300] + "...") if len(text) > 300 else (text or response.reason_phrase)
    if isinstance(doc, dict):
        for k in ("message", "error", "detail"):
            if doc.get(k):
                v = doc[k]
                return v if isinstance(v, str) else json.dumps(v)[:300]
    return json.dumps(doc)[:300]
