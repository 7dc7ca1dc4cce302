"""Demo content placeholder (filled below)."""


def load(context):
    return None
