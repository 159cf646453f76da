"""Shared test settings."""

import os

from hypothesis import settings

# CI runs the same examples every time; a developer's run explores new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
