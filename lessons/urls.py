from django.urls import path

from . import views

app_name = "lessons"
urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("search/", views.search, name="search"),
    path("lesson/<int:page_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("lesson/<int:page_id>/check/<str:block_id>/", views.knowledge_check, name="knowledge_check"),
    path("certificates/<int:course_id>.pdf", views.certificate_download, name="certificate_download"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("media/<int:document_id>/", views.media_file, name="media_file"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<int:page_id>/", views.dashboard_course, name="dashboard_course"),
    path("dashboard/<int:page_id>/export.xlsx", views.dashboard_export, name="dashboard_export"),
]
