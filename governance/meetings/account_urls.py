"""Pages of the person, across associations."""

from django.urls import path

from governance.meetings import views

urlpatterns = [
    path("mina-moten/", views.MyMeetingsView.as_view(), name="my_meetings"),
    path("mina-moten/kalender/", views.CalendarTokenView.as_view(), name="my_calendar_token"),
    path("kalender/<str:token>.ics", views.PrivateFeedView.as_view(), name="private_feed"),
]
