"""The per-dataset-version LRU behind the API's caches (api/cache.py), and the rules its three users share."""

from __future__ import annotations

import random
import sys
import threading

import pytest

from api.cache import LockedVersionedLRU, VersionedLRU
from api.graphql.cache import ListCache, ResponseCache
from api.sparql.cache import Cached, ResultCache


def length(key: str, value: str) -> int:
    return len(value)


@pytest.fixture(params=[VersionedLRU, LockedVersionedLRU], ids=["plain", "locked"])
def kind(request: pytest.FixtureRequest) -> type[VersionedLRU[str, str]]:
    return request.param  # type: ignore[no-any-return]


def test_least_recently_used_goes_first(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100, max_entries=3)
    for k in "abc":
        assert lru.put(k, "v1", k)
    assert lru.get("a", "v1") == "a"  # a is now the most recently used
    assert lru.put("d", "v1", "d")
    assert list(lru.entries) == ["c", "a", "d"] and lru.get("b", "v1") is None
    assert lru.evictions == 1 and len(lru) == 3


def test_weight_bound_evicts_until_it_fits(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=10)
    lru.put("a", "v1", "xxxx")
    lru.put("b", "v1", "xxxx")
    assert lru.weight == 8
    lru.put("c", "v1", "xxxxxx")  # 14 > 10: a goes, then 10 fits
    assert list(lru.entries) == ["b", "c"] and lru.weight == 10 and lru.evictions == 1
    lru.put("d", "v1", "xxxxxxxxxx")  # exactly the budget: everything else goes
    assert list(lru.entries) == ["d"] and lru.weight == 10 and lru.evictions == 3


def test_replacing_an_entry_counts_its_weight_once(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100)
    lru.put("a", "v1", "xxxx")
    lru.put("b", "v1", "xx")
    lru.put("a", "v1", "xxxxxxxx")
    assert lru.weight == 10 and list(lru.entries) == ["b", "a"] and lru.get("a", "v1") == "xxxxxxxx"


def test_an_entry_heavier_than_its_share_is_not_kept(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=80, max_entry_weight=10)
    lru.put("a", "v1", "x" * 10)
    assert not lru.put("huge", "v1", "x" * 11), "one huge answer must not flush the rest"
    assert lru.get("huge", "v1") is None and lru.get("a", "v1") == "x" * 10 and lru.weight == 10
    lru.put("a", "v1", "y")
    assert not lru.put("a", "v1", "x" * 11) and lru.get("a", "v1") == "y", "a refused put keeps the older entry"


def test_the_share_is_never_above_the_budget() -> None:
    lru: VersionedLRU[str, str] = VersionedLRU(length, max_weight=5, max_entry_weight=50)
    assert lru.max_entry_weight == 5 and not lru.put("a", "v1", "x" * 6) and len(lru) == 0


@pytest.mark.parametrize("max_weight, max_entries", [(0, 10), (-1, 10), (10, 0)])
def test_a_cache_without_room_keeps_nothing(max_weight: int, max_entries: int) -> None:
    lru: VersionedLRU[str, str] = VersionedLRU(length, max_weight=max_weight, max_entries=max_entries)
    assert not lru.enabled
    assert not lru.put("empty", "v1", ""), "not even an entry of weight 0"
    assert lru.get("empty", "v1") is None and len(lru) == 0 and lru.weight == 0


def test_a_new_version_drops_everything(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100)
    lru.put("a", "v1", "xx")
    lru.put("b", "v1", "xx")
    assert lru.get("a", "v2") is None
    assert len(lru) == 0 and lru.weight == 0 and lru.version == "v2" and lru.evictions == 0
    assert lru.put("a", "v2", "yy") and lru.get("a", "v2") == "yy"


def test_a_put_of_another_version_is_ignored(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100)
    assert lru.put("a", "v1", "xx") and lru.version == "v1", "the first version seen is adopted"
    lru.get("a", "v2")
    lru.put("b", "v2", "yy")
    assert not lru.put("a", "v1", "xx"), "a slow request of an older version must not flush the current entries"
    assert lru.version == "v2" and list(lru.entries) == ["b"] and lru.weight == 2


def test_clear_keeps_the_version(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100)
    lru.get("a", "v1")
    lru.put("a", "v1", "xx")
    lru.clear()
    assert len(lru) == 0 and lru.weight == 0 and lru.version == "v1"
    assert lru.put("a", "v1", "xx") and lru.get("a", "v1") == "xx"


def test_hits_and_misses_are_counted(kind: type[VersionedLRU[str, str]]) -> None:
    lru = kind(length, max_weight=100)
    lru.get("a", "v1")
    lru.put("a", "v1", "x")
    lru.get("a", "v1")
    lru.get("a", "v1")
    lru.get("a", "v2")
    assert (lru.hits, lru.misses) == (2, 2)


def test_weight_may_depend_on_the_key() -> None:
    lru: VersionedLRU[str, str] = VersionedLRU(lambda k, v: len(k) + len(v), max_weight=10)
    lru.put("aaaa", "v1", "xx")
    lru.put("bbbb", "v1", "xx")
    assert lru.weight == 6 and list(lru.entries) == ["bbbb"]


def test_threads_keep_the_weight_exact() -> None:
    """Many threads putting, getting, clearing and switching versions: the weight stays the sum of the entries'."""
    lru: LockedVersionedLRU[int, str] = LockedVersionedLRU(lambda k, v: len(v), max_weight=500, max_entries=40,
                                                           max_entry_weight=60)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        rnd = random.Random(seed)
        try:
            for _ in range(20_000):
                version = f"v{rnd.randrange(2)}" if rnd.random() < 0.01 else "v0"
                k = rnd.randrange(100)
                r = rnd.random()
                if r < 0.5:
                    lru.put(k, version, "x" * rnd.randrange(70))
                elif r < 0.995:
                    lru.get(k, version)
                else:
                    lru.clear()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(6)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, inside the cache's steps too
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors
    assert lru.weight == sum(len(v) for v in lru.entries.values()) <= 500 and len(lru) <= 40
    assert lru._weights == {k: len(v) for k, v in lru.entries.items()}  # noqa: SLF001


# The three caches are thin uses of it: their own names and bounds, the same rules.


def test_the_response_cache_ignores_an_older_versions_answer() -> None:
    cache = ResponseCache(maxsize=10, max_bytes=8_000)
    cache.get("k", "v2")
    cache.put("k", "v2", 200, b"new")
    cache.put("old", "v1", 200, b"old")
    assert cache.get("k", "v2") == (200, b"new") and cache.get("old", "v2") is None and len(cache) == 1
    assert (cache.hits, cache.misses, cache.size_bytes) == (1, 2, 3)
    cache.clear()
    assert len(cache) == 0 and cache.size_bytes == 0


def test_a_response_cache_of_size_zero_keeps_nothing() -> None:
    cache = ResponseCache(maxsize=0)
    cache.put("k", "v1", 200, b"x")
    assert cache.get("k", "v1") is None and len(cache) == 0


def test_the_list_cache_weighs_iris_and_counts() -> None:
    cache = ListCache(max_items=5)
    cache.put("a", "v1", ("x", "y", "z"))
    cache.put("n", "v1", 42)
    assert cache.items == 4 and cache.max_items == 5
    cache.get("a", "v2")
    assert not cache.put("n", "v1", 42) and cache.items == 0, "a list read on an older version is not kept"


def test_an_empty_list_is_not_kept_when_the_list_cache_is_off() -> None:
    cache = ListCache(max_items=0)
    cache.put("a", "v1", ())
    assert cache.get("a", "v1") is None


def test_the_result_cache_reads_the_version_from_its_key() -> None:
    cache = ResultCache(1 << 20)
    key = ("v1", "q", None, None, "text/csv", None, 10)
    assert cache.put(key, Cached(b"x", "text/csv", ()))
    assert cache.version == "v1" and cache.get(key) is not None and cache.hits == 1
    assert cache.bytes == len(b"x") + len("q") + 512


def test_a_result_cache_that_is_off_counts_nothing() -> None:
    cache = ResultCache(0)
    key = ("v1", "q", None, None, "text/csv", None, 10)
    assert not cache.enabled and not cache.put(key, Cached(b"x", "text/csv", ()))
    assert cache.get(key) is None and (cache.hits, cache.misses) == (0, 0) and not cache.entries
