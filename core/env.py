"""Small typed readers for the environment.

Settings read every external value through these helpers so that a missing or
malformed variable stops the process at start-up with a clear message, instead
of surfacing later as a confusing runtime error.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_MISSING = object()


def _raw(name: str, default):
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return None
    return value


def env_str(name: str, default=_MISSING) -> str:
    value = _raw(name, default)
    return default if value is None else value


def env_bool(name: str, default=_MISSING) -> bool:
    value = _raw(name, default)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default=_MISSING) -> int:
    value = _raw(name, default)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name} must be an integer, got {value!r}.") from None


def env_list(name: str, default=_MISSING) -> list[str]:
    value = _raw(name, default)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]
