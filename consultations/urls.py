from django.urls import path

from . import web

app_name = "consultations"

urlpatterns = [
    path("", web.start, name="start"),
    path("l/<str:token>/", web.open_link, name="open_link"),
    path("chat/", web.chat, name="chat"),
    path("chat/messages.json", web.chat_json, name="chat_json"),
    path("chat/close/", web.close, name="close"),
    path("chat/rate/", web.rate, name="rate"),
]
