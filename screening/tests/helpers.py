"""Driving the self-check through the signed webhook: find a quick reply by its postback fields."""

from urllib.parse import parse_qs


def quick_replies(bot):
    """``[(label, fields)]`` of the last reply's quick replies (on its last message that has any)."""
    for message in reversed(bot.last_reply()):
        items = message.get("quickReply", {}).get("items", [])
        if items:
            return [
                (
                    item["action"]["label"],
                    {k: v[-1] for k, v in parse_qs(item["action"].get("data", "")).items()},
                )
                for item in items
            ]
    return []


def data_of(bot, **wanted):
    """The postback data of the quick reply whose fields include ``wanted``."""
    for message in reversed(bot.last_reply()):
        for item in message.get("quickReply", {}).get("items", []):
            data = item["action"].get("data", "")
            fields = {k: v[-1] for k, v in parse_qs(data).items()}
            if all(fields.get(key) == str(value) for key, value in wanted.items()):
                return data
    raise AssertionError(f"no quick reply with {wanted} in {bot.last_reply()}")


def choose(bot, user, **wanted):
    bot.tap(data_of(bot, **wanted), user=user)


def run_check(bot, user, answers, keep="none"):
    """Start the check, consent (``keep``: keep or none) and answer ``answers`` in order."""
    bot.say("こころのチェック", user=user)
    choose(bot, user, c=keep)
    for answer in answers:
        choose(bot, user, a=answer)
