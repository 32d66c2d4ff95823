from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:notice_id>/", views.notice_open, name="open"),
    path("counts/", views.counts, name="counts"),
    path("read-all/", views.notices_read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
]
