"""The city's notification KPI figures, always derived from the database, never from a counter."""

from .models import AppDevice, LineFollower


def registrants():
    """Active registrants: LINE followers who still follow plus active app devices.

    Returns:
        The number of active LINE followers with a user ID plus active app devices with a token.
    """
    return LineFollower.objects.active().count() + AppDevice.objects.active().count()
