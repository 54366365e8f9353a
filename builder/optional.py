"""Import the packages a command needs on demand, and say in one line which one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from builder.errors import DependencyError


def optional_module(name: str, purpose: str) -> ModuleType:
    """Import `name` for `purpose`; a missing or broken install is a one-line error, not a traceback.

    A module can be present and still fail to import one of its own dependencies (trafilatura's
    jusText asks for `lxml[html_clean]`, an extra old pips do not install): the message then names
    what that import said was missing, which is the package to install.
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else f"No module named {name!r}"
        missing = exc.name or name
        raise DependencyError(
            f"{purpose} needs the Python package {missing!r}, which cannot be imported ({reason}); "
            "reinstall Briefdesk with its dependencies (pip install -e . in its folder)"
        ) from None
