from pathlib import Path

import pytest

from spie.referentials.loaders import load_all

FIXTURES = Path(__file__).parent / "data"


@pytest.fixture
def fixtures_dir():
    return FIXTURES


@pytest.fixture
def referentials(db):
    """The small extracts of tests/referentials/data loaded: 5 communes, 4 ROME jobs, 3 NAF codes…"""
    return load_all(FIXTURES)
