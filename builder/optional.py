"""Import the packages a command needs on demand, and say in one line which one is missing."""

from __future__ import annotations

import importlib
from types import ModuleType

from builder.errors import DependencyError


def optional_module(name: str, purpose: str, extra: str | None = None) -> ModuleType:
    """Import `name` for `purpose`; a missing or broken install is a one-line error, not a traceback.

    A module can be present and still fail to import one of its own dependencies (trafilatura's
    jusText asks for `lxml[html_clean]`, an extra old pips do not install): the message then names
    what that import said was missing, which is the package to install. `extra` names the
    optional extra of Briefdesk's that installs the module (`pdf`), for modules the plain install
    leaves out.
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else f"No module named {name!r}"
        missing = exc.name or name
        remedy = (
            f"install Briefdesk with its {extra!r} extra (pip install 'briefdesk[{extra}]', or "
            f"pip install -e '.[{extra}]' in its folder)"
            if extra
            else "reinstall Briefdesk with its dependencies (pip install -e . in its folder)"
        )
        raise DependencyError(
            f"{purpose} needs the Python package {missing!r}, which cannot be imported ({reason}); {remedy}"
        ) from None
    except OSError as exc:  # a package that loads system libraries (WeasyPrint's Pango) without them
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DependencyError(
            f"{purpose} needs the Python package {name!r}, which cannot load a system library it "
            f"uses ({reason}); install that library with the system's package manager"
        ) from None
