from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("<int:type_id>/", views.book, name="book"),
    path("line/<str:token>/", views.book_from_line, name="book_from_line"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
