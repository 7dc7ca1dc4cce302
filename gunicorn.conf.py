"""gunicorn's settings for the hub, read from the working directory (``gunicorn cms.wsgi``).

The application is loaded once in the master before the workers fork (``preload_app``), with the
SudachiPy dictionary opened, the URLconf built and the public templates compiled
(``cms.preload.warm``): the workers share those pages copy-on-write instead of each importing
2,000 modules and compiling every template of its own. Python objects made
before the fork are moved out of the cyclic garbage collector's reach (``gc.freeze``), whose
passes would otherwise write to, and so un-share, every page holding them. No database connection
or cache connection is open at the fork (Django and the Redis client open them on first use in
each worker). Workers: ``--workers N`` or ``WEB_CONCURRENCY``. A code change needs a restart, not
a HUP, since the master holds the code.
"""

import gc

preload_app = True


def when_ready(server):
    from django.db import connections

    from cms.preload import warm

    warm()
    connections.close_all()
    gc.freeze()
