from django.urls import path

from . import admin_views, report

app_name = "consultations_admin"

urlpatterns = [
    path("", admin_views.queue_view, name="queue"),
    path("queue.json", admin_views.queue_json, name="queue_json"),
    path("duty/", admin_views.duty_view, name="duty"),
    path("report/", report.report_view, name="report"),
    path("<int:pk>/", admin_views.detail_view, name="detail"),
    path("<int:pk>/messages.json", admin_views.messages_json, name="messages_json"),
    path("<int:pk>/claim/", admin_views.claim_view, name="claim"),
    path("<int:pk>/reply/", admin_views.reply_view, name="reply"),
    path("<int:pk>/note/", admin_views.note_view, name="note"),
    path("<int:pk>/handover/", admin_views.handover_view, name="handover"),
    path("<int:pk>/close/", admin_views.close_view, name="close"),
]
