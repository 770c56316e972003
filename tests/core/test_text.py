import uuid

import pytest

from spie.core.text import as_uuid


@pytest.mark.parametrize("value", [None, "", "pas-un-identifiant", "123", "'; DROP TABLE"])
def test_a_parameter_that_holds_no_uuid_gives_none(value):
    assert as_uuid(value) is None


def test_a_parameter_that_holds_a_uuid_gives_it():
    value = uuid.uuid4()
    assert as_uuid(str(value)) == value == as_uuid(value)
