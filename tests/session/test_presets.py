"""The preset registry's look-up."""

import pytest

from explorer.session import presets


def test_a_preset_is_found_by_name_and_an_unknown_one_is_a_key_error_naming_it():
    assert presets.find("Himmelblau").name == "Himmelblau"
    with pytest.raises(KeyError, match="No such preset"):
        presets.find("No such preset")
