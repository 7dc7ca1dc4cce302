"""Generated LINE webhook bodies for property-based tests (hypothesis): shapes from webhook.yml and
far beyond it, with good, bad and missing signatures. Shared by test_webhook_fuzz and the bench."""

import json

from hypothesis import strategies as st

from notifications.tests import line_bodies as lb

EVENT_TYPES = ["follow", "unfollow", "postback", "message", "join", "leave", "beacon", "memberJoined"]
# A small pool, so that duplicate webhookEventIds and user IDs come up often.
EVENT_IDS = [f"01FUZZ{index:020d}" for index in range(8)]
USER_IDS = ["U" + f"{index:032x}" for index in range(6)]
HOUR_MS = 3_600_000
# Event times around when the run started: mostly within the webhook's window (a day, and a few
# minutes of clock skew ahead), some older (a replay: refused), some ahead, any number of the past.
recent_timestamp = st.integers(min_value=lb.T0 - 23 * HOUR_MS, max_value=lb.T0 + 60_000)
timestamp = st.one_of(
    recent_timestamp,
    recent_timestamp,
    st.integers(min_value=lb.T0 - 60 * 24 * HOUR_MS, max_value=lb.T0 - 25 * HOUR_MS),
    st.integers(min_value=lb.T0 + HOUR_MS, max_value=lb.T0 + 30 * 24 * HOUR_MS),
    st.integers(min_value=1_600_000_000_000, max_value=1_900_000_000_000),
)

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
)
json_value = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _deep(depth):
    value = "x"
    for _ in range(depth):
        value = {"a": [value]}
    return value


odd_value = st.one_of(
    json_value,
    st.integers(min_value=1, max_value=3).map(lambda n: "あ" * (10_000 * n)),  # huge strings
    st.integers(min_value=50, max_value=300).map(_deep),  # deep nesting
)


@st.composite
def spec_event(draw, kinds=EVENT_TYPES, timestamps=timestamp):
    """An event shaped as webhook.yml documents it (follow, unfollow, postback) or another type."""
    kind = draw(st.sampled_from(kinds))
    event = {
        "type": kind,
        "mode": "active",
        "timestamp": draw(timestamps),
        "source": {"type": "user", "userId": draw(st.sampled_from(USER_IDS))},
        "webhookEventId": draw(st.sampled_from(EVENT_IDS)),
        "deliveryContext": {"isRedelivery": draw(st.booleans())},
    }
    if kind in {"follow", "postback", "message"}:
        event["replyToken"] = draw(st.text(alphabet="0123456789abcdef", min_size=32, max_size=32))
    if kind == "follow":
        event["follow"] = {"isUnblocked": draw(st.booleans())}
    if kind == "postback":
        data = draw(
            st.one_of(
                st.sampled_from(["stage=age_0_1", "lang=en", "lang=xx", "due=1", "born=1", "stage=nope"]),
                st.text(max_size=300),
            )
        )
        event["postback"] = {"data": data}
        if draw(st.booleans()):
            event["postback"]["params"] = {"date": draw(st.text(max_size=12))}
    if kind == "message":
        event["message"] = {"type": "text", "id": "1", "quoteToken": "q", "text": draw(st.text(max_size=100))}
    return event


@st.composite
def mutated_event(draw):
    """A spec event with fields replaced by wrong types, huge strings or deep nesting, or removed."""
    event = draw(spec_event())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(
            st.sampled_from(
                [
                    "type",
                    "timestamp",
                    "webhookEventId",
                    "source",
                    "source.userId",
                    "replyToken",
                    "postback",
                    "postback.data",
                    "postback.params",
                    "extra",
                ]
            )
        )
        target, key = event, path
        if "." in path:
            head, key = path.split(".")
            if not isinstance(event.get(head), dict):
                continue
            target = event[head]
        if draw(st.booleans()):
            target.pop(key, None)
        else:
            target[key] = draw(odd_value)
    return event


@st.composite
def webhook_body(draw):
    """Raw bytes of a webhook body: valid, mutated, not JSON at all, or not an object."""
    shape = draw(st.sampled_from(["spec", "mutated", "raw", "not-object", "deep"]))
    if shape == "raw":
        return draw(st.binary(max_size=300))
    if shape == "not-object":
        return json.dumps(draw(json_value)).encode()
    if shape == "deep":
        # Nesting deeper than any JSON parser in Python goes, written as text.
        depth = draw(st.integers(min_value=500, max_value=100_000))
        return (
            f'{{"destination": "{lb.BOT_ID}", "events": [' + '{"a":[' * depth + "1" + "]}" * depth + "]}"
        ).encode()
    strategy = spec_event() if shape == "spec" else st.one_of(spec_event(), mutated_event())
    events = draw(st.lists(strategy, max_size=5))
    return json.dumps({"destination": lb.BOT_ID, "events": events}, ensure_ascii=draw(st.booleans())).encode()


def subscriber_body():
    """A spec-valid body of follows, unfollows and postbacks dated within the webhook's window:
    what a replay test sends once, then again."""
    events = st.lists(
        spec_event(("follow", "unfollow", "postback"), recent_timestamp), min_size=1, max_size=5
    )
    return events.map(lambda events: lb.body(*events))


replay_delay_days = st.sampled_from([0, 0, 2, 8, 31])  # at once; past the window; past each retention


signature_mode = st.sampled_from(["valid", "valid", "bad", "missing", "other-secret"])


def signature_for(raw, mode):
    if mode == "valid":
        return lb.sign(raw)
    if mode == "other-secret":
        return lb.sign(raw, secret="not-the-channel-secret-000000")
    if mode == "bad":
        return "bm90IGEgc2lnbmF0dXJl"
    return None
