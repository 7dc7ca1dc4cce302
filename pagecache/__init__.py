"""Anonymous page cache with invalidation at the moments content changes.

The public API other apps use lives in :mod:`pagecache.invalidation`:
``clear_pages()``, ``invalidate_on_change(model)`` and ``register_moments(provider)``.
"""
