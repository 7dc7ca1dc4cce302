from guidance.conversation import ConversationHandler


class SignupHandler(ConversationHandler):
    name = "signup"
    order = 30
