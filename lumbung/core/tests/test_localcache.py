"""The per-process stores in front of the shared cache (core.localcache)."""

from hypothesis import given
from hypothesis import strategies as st

from lumbung.core.localcache import LocalStore, clear_local_stores


def test_the_least_recently_used_entry_makes_room():
    store = LocalStore("uji", max_entries=2)
    store.set("a", 1), store.set("b", 2)
    assert store.get("a") == 1  # "b" is now the least recently used
    store.set("c", 3)
    assert (store.get("a"), store.get("b"), store.get("c")) == (1, None, 3)
    assert len(store) == 2


def test_clearing_empties_every_store_of_the_process():
    first, second = LocalStore("satu", max_entries=5), LocalStore("dua", max_entries=5)
    first.set("x", 1), second.set("y", 2)
    clear_local_stores()
    assert first.get("x") is None and second.get("y") is None


@given(operations=st.lists(st.tuples(st.sampled_from("abcdef"), st.integers()), max_size=60))
def test_a_store_holds_the_latest_value_of_the_most_recent_keys(operations):
    store, model = LocalStore("model", max_entries=3), {}
    for key, value in operations:
        store.set(key, value)
        model.pop(key, None)
        model[key] = value  # the dict's order is the order of use
    recent = list(model)[-3:]
    assert {key: store.get(key) for key in recent} == {key: model[key] for key in recent}
    assert len(store) == len(recent)
