from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [path("", views.get_help, name="get_help")]
