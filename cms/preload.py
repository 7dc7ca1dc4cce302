"""What gunicorn's master prepares before it forks the web workers (``gunicorn.conf.py``).

Everything made here is shared copy-on-write by every worker instead of being made again in each:
the SudachiPy dictionary and the analyser (``articles.search.preload``), the URLconf, and the
public site's templates compiled by Django's cached loader. Nothing here opens a database or cache
connection that a worker could inherit (the caller closes the database connections anyway).
"""

import contextlib
from pathlib import Path

from django.apps import apps
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver


def public_templates():
    """The names of the project's own templates for the public site (not the admin's)."""
    base = Path(__file__).resolve().parent.parent
    names = []
    for config in apps.get_app_configs():
        root = Path(config.path).resolve() / "templates"
        own = base in root.parents and not root.relative_to(base).parts[0].startswith(".")
        if not own or not root.is_dir():
            continue  # Django's, Wagtail's and other libraries' (the .venv) are compiled on first use
        names += [
            str(path.relative_to(root))
            for path in sorted(root.rglob("*.html"))
            if not any("admin" in part for part in path.relative_to(root).parts)
        ]
    return names


def warm():
    from articles.search import preload

    preload()
    get_resolver().url_patterns  # noqa: B018 (imports every view module and builds the resolver)
    for name in public_templates():
        with contextlib.suppress(TemplateDoesNotExist, TemplateSyntaxError):  # a partial's own
            get_template(name)
