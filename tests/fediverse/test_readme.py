"""The README's configuration table documents every variable the settings read."""

import re
from pathlib import Path

from django.conf import settings

from tests.fediverse.test_compose import settings_env_names


def test_every_setting_is_in_the_configuration_table() -> None:
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    missing = settings_env_names() - documented
    assert not missing, f"README.md does not document {sorted(missing)}"
