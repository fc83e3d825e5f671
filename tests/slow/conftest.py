"""Everything in tests/slow builds the package again (a wheel, a sanitized build): minutes each."""
import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/slow/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)
