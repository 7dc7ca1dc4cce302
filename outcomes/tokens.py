"""Signed single-use survey invitations: one per subscriber and round, kept only as a hash."""

from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "outcomes.survey-invitation"


class InvalidInvitation(Exception):
    pass


def invitation_token(survey, subscriber):
    """A signed token naming the survey round and the subscriber it was made for.

    Args:
        survey: the SurveyPage.
        subscriber: a LineFollower or AppDevice.

    Returns:
        A URL-safe token; the same subscriber and round always get a token with the same hash.
    """
    return signing.dumps({"s": survey.pk, "who": f"{subscriber._meta.model_name}:{subscriber.pk}"}, salt=SALT)


def invitation_url(survey, subscriber):
    return f"{survey.get_full_url()}?t={invitation_token(survey, subscriber)}"


def check(token, survey):
    """The token's subscriber key when it is genuine and for this survey.

    Raises:
        InvalidInvitation: forged, damaged, too old, or made for another survey.
    """
    try:
        payload = signing.loads(token, salt=SALT, max_age=None)
    except signing.BadSignature as error:
        raise InvalidInvitation from error
    if payload.get("s") != survey.pk:
        raise InvalidInvitation
    return payload["who"]


def spent_key(survey, token):
    """What is stored for a spent invitation: a keyed hash of the round and subscriber key only.

    Keyed with the secret key, so the database alone cannot tell which subscriber answered.
    """
    return salted_hmac(SALT, f"{survey.pk}|{check(token, survey)}", algorithm="sha256").hexdigest()
