"""scoped.set_within: the value holds inside the block only, nested blocks restore in order, errors still restore."""
import contextvars

import pytest

from bibliomap.i18n import current_language, language
from bibliomap.scoped import set_within

CHOICE: contextvars.ContextVar[str] = contextvars.ContextVar("test_choice", default="default")


def test_value_holds_inside_and_nested_blocks_restore_in_order():
    with set_within(CHOICE, "outer"):
        assert CHOICE.get() == "outer"
        with set_within(CHOICE, "inner"):
            assert CHOICE.get() == "inner"
        assert CHOICE.get() == "outer"
    assert CHOICE.get() == "default"


def test_an_error_inside_the_block_still_restores():
    with pytest.raises(RuntimeError):
        with set_within(CHOICE, "failing"):
            raise RuntimeError("boom")
    assert CHOICE.get() == "default"


def test_language_sets_and_restores_both_variables():
    with language("id"):
        assert current_language() == "id"
    assert current_language() == "en"
    with pytest.raises(ValueError, match="unknown language"):
        with language("xx"):
            pass
    assert current_language() == "en"
