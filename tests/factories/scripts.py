"""The project's scripts/ loaded as modules, so that tests call their `main` in-process."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from analysis.config import PROJECT_ROOT


def load_script(name: str) -> ModuleType:
    """scripts/<name>.py as a module (registered, for dataclasses that look it up)."""
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
