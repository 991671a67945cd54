from django.urls import path

from governance.noticeboard import views

app_name = "noticeboard"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("atom.xml", views.AtomFeedView.as_view(), name="atom"),
    path("kalender.ics", views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/", views.NoticeView.as_view(), name="notice"),
    path("bevakning/", views.WatchView.as_view(), name="watch"),
    path("installningar/", views.SettingsView.as_view(), name="settings"),
    path("anslag/ny/<int:minutes>/", views.PostView.as_view(), name="post"),
]
